// FHIR values as a person reads them: names, codes, quantities, dates and medication doses.
import type { CodeableConcept, Dosage, HumanName, Quantity, Reference } from '@medplum/fhirtypes';

/** "Harold Brennan" — the official (else first) name, given names then family, with suffixes. */
export function formatName(names: readonly HumanName[] | undefined): string {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  if (!name) return 'Unnamed';
  if (name.text) return name.text;
  const parts = [...(name.given ?? []), name.family ?? ''].filter(Boolean).join(' ');
  const suffix = name.suffix?.length ? `, ${name.suffix.join(' ')}` : '';
  return `${parts}${suffix}` || 'Unnamed';
}

/** The concept's text, else its first coding's display, else its code. */
export function formatConcept(concept: CodeableConcept | undefined): string {
  if (!concept) return '';
  return concept.text ?? concept.coding?.find((c) => c.display)?.display ?? concept.coding?.[0]?.code ?? '';
}

export function formatQuantity(q: Quantity | undefined): string {
  if (q?.value === undefined) return '';
  const value = Number.isInteger(q.value) ? String(q.value) : q.value.toFixed(1).replace(/\.0$/, '');
  return q.unit ? `${value} ${q.unit}` : value;
}

export function formatDose(dosage: readonly Dosage[] | undefined): string {
  return (dosage ?? [])
    .map((d) => d.text ?? '')
    .filter(Boolean)
    .join('; ');
}

/** "12 Mar 2026" for a FHIR date or dateTime (dates are shown as written, without a time zone shift). */
export function formatDate(value: string | undefined): string {
  if (!value) return '';
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  if (!y) return value;
  if (!m) return String(y);
  const month = new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return d ? `${d} ${month} ${y}` : `${month} ${y}`;
}

export function formatDateTime(value: string | undefined): string {
  if (!value) return '';
  if (value.length <= 10) return formatDate(value);
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? value
    : date.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** Whole years between a birth date and `today` (both YYYY-MM-DD). */
export function ageOn(birthDate: string | undefined, today: string): number | undefined {
  if (!birthDate || birthDate.length < 10) return undefined;
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5, 10) < birthDate.slice(5, 10) ? years - 1 : years;
}

/** The id of a relative reference ("Patient/abc" -> "abc") when it is of the given type. */
export function referenceId(ref: Reference | undefined, type: string): string | undefined {
  const r = ref?.reference;
  return r?.startsWith(`${type}/`) ? r.slice(type.length + 1) : undefined;
}

let clinicZone: string | undefined;

/** The clinic's time zone, as the server says (/auth/me): "today" is the clinic's today. */
export function setClinicTimeZone(zone: string | undefined): void {
  clinicZone = zone;
}

/** Today in the clinic's zone (else the browser's), YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  return dayIn(now, clinicZone);
}

/** The clinic's day of an instant. */
export function dayIn(instant: Date, zone: string | undefined = clinicZone): string {
  // en-CA formats a date as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    ...(zone ? { timeZone: zone } : {}),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** The clinic's day `days` before or after today. */
export function clinicDayOffset(days: number, now: Date = new Date()): string {
  return dayIn(new Date(now.getTime() + days * 86_400_000));
}
