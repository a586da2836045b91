// What an appointment does to the calendar (FHIR R4 Appointment and Slot): an appointment that holds
// its time (pending, booked, arrived, checked-in, fulfilled) makes its slots busy; cancelling it (or
// entering it in error) gives them back; a no-show keeps the past slot and calls for a follow-up.
// A slot can be held by one appointment only, and a patient cannot be in two places at once. Pure.
import type { Appointment } from '@medplum/fhirtypes';

const HOLDING: readonly string[] = ['pending', 'booked', 'arrived', 'checked-in', 'fulfilled'];
const RELEASING: readonly string[] = ['cancelled', 'entered-in-error'];

export const holdsTime = (a: Appointment | undefined): boolean => a !== undefined && HOLDING.includes(a.status);

const slotsOf = (a: Appointment | undefined): string[] =>
  (a?.slot ?? []).map((s) => s.reference ?? '').filter((r) => r.startsWith('Slot/'));

/** Slots to make busy and slots to give back, from the previous and next versions of an appointment. */
export function slotChanges(
  previous: Appointment | undefined,
  next: Appointment,
): { take: string[]; release: string[] } {
  if (next.status === 'noshow') return { take: [], release: [] };
  const before = holdsTime(previous) ? slotsOf(previous) : [];
  const after = holdsTime(next) ? slotsOf(next) : [];
  const releasing = RELEASING.includes(next.status) || !holdsTime(next);
  return {
    take: after.filter((s) => !before.includes(s)),
    release: releasing ? before : before.filter((s) => !after.includes(s)),
  };
}

/** The patients an appointment is for (participants that are Patients). */
export function patientsOf(a: Appointment): string[] {
  return (a.participant ?? [])
    .map((p) => p.actor?.reference ?? '')
    .filter((r) => r.startsWith('Patient/'))
    .map((r) => r.slice('Patient/'.length));
}

/** Whether two appointments' times overlap (half-open intervals: one may end when the next starts). */
export function overlaps(a: Appointment, b: Appointment): boolean {
  if (!a.start || !a.end || !b.start || !b.end) return false;
  return Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);
}

/** The patient's other appointments that hold time overlapping this one. */
export function doubleBookings(next: Appointment, others: readonly Appointment[]): Appointment[] {
  if (!holdsTime(next)) return [];
  return others.filter((o) => o.id !== next.id && holdsTime(o) && overlaps(next, o));
}

export function becameNoShow(previous: Appointment | undefined, next: Appointment): boolean {
  return next.status === 'noshow' && previous?.status !== 'noshow';
}
