// Ranking free slots for one patient: a clinician who speaks the patient's preferred language
// first (Practitioner.communication against Patient.communication preferred), then slots at the
// times the patient said suit them (the contact-times preference, in their own words: "weekday
// mornings, before 11"), then the soonest. Each slot says why it ranks where it does. Pure.
import type { Patient, Practitioner, Schedule, Slot } from '@medplum/fhirtypes';

export const CONTACT_TIMES_URL = 'http://careloop.org/fhir/StructureDefinition/contact-times';

export interface TimePreference {
  readonly parts: readonly ('morning' | 'afternoon' | 'evening')[];
  readonly weekdaysOnly: boolean;
  readonly weekendsOnly: boolean;
  /** "before 11": the hour slots must start before. */
  readonly before?: number;
  /** "after 2": the hour slots must start at or after (12-hour words taken as afternoon below 8). */
  readonly after?: number;
}

/** Reads a preference said in words; an empty preference when nothing is recognised. */
export function parseTimePreference(text: string | undefined): TimePreference {
  const t = (text ?? '').toLowerCase();
  const parts = (['morning', 'afternoon', 'evening'] as const).filter((p) => t.includes(p));
  const hour = (m: RegExpExecArray | null): number | undefined => {
    if (!m) return undefined;
    let h = Number(m[1]);
    if (m[2] === 'pm' && h < 12) h += 12;
    else if (!m[2] && h < 8) h += 12;
    return h;
  };
  const before = hour(/before (\d{1,2})(?::\d\d)?\s*(am|pm)?/.exec(t));
  const after = hour(/after (\d{1,2})(?::\d\d)?\s*(am|pm)?/.exec(t));
  return {
    parts,
    weekdaysOnly: /weekday/.test(t),
    weekendsOnly: /weekend/.test(t) && !/weekday/.test(t),
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
  };
}

/** Local hour and weekday of an ISO time as written (the slot's own offset), not the server's zone. */
function localTime(iso: string): { hour: number; weekday: number } {
  const hour = Number(iso.slice(11, 13));
  const weekday = new Date(`${iso.slice(0, 10)}T12:00:00Z`).getUTCDay();
  return { hour, weekday };
}

export function suitsTime(start: string, pref: TimePreference): boolean {
  const { hour, weekday } = localTime(start);
  const weekend = weekday === 0 || weekday === 6;
  if (pref.weekdaysOnly && weekend) return false;
  if (pref.weekendsOnly && !weekend) return false;
  if (pref.before !== undefined && hour >= pref.before) return false;
  if (pref.after !== undefined && hour < pref.after) return false;
  if (pref.parts.length) {
    const part = hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening';
    if (!pref.parts.includes(part)) return false;
  }
  return true;
}

/** The patient's preferred language code (Patient.communication with preferred, else the first). */
export function preferredLanguage(patient: Patient | undefined): string | undefined {
  const list = patient?.communication ?? [];
  const chosen = list.find((c) => c.preferred) ?? list[0];
  return chosen?.language.coding?.[0]?.code;
}

const baseLanguage = (code: string): string => code.toLowerCase().split('-')[0] ?? code;

export function speaks(practitioner: Practitioner | undefined, language: string): boolean {
  return (practitioner?.communication ?? []).some((c) =>
    (c.coding ?? []).some((x) => x.code && baseLanguage(x.code) === baseLanguage(language)),
  );
}

export interface RankedSlot {
  readonly slot: Slot;
  readonly score: number;
  readonly reasons: readonly string[];
}

export function rankSlots(input: {
  readonly slots: readonly Slot[];
  readonly schedules: ReadonlyMap<string, Schedule>;
  readonly practitioners: ReadonlyMap<string, Practitioner>;
  readonly patient?: Patient | undefined;
  readonly languageNames?: Readonly<Record<string, string>>;
}): RankedSlot[] {
  const language = preferredLanguage(input.patient);
  const times = input.patient?.extension?.find((e) => e.url === CONTACT_TIMES_URL)?.valueString;
  const pref = parseTimePreference(times);
  const hasTimePreference =
    Boolean(times) &&
    (pref.parts.length > 0 ||
      pref.before !== undefined ||
      pref.after !== undefined ||
      pref.weekdaysOnly ||
      pref.weekendsOnly);
  return input.slots
    .filter((s) => s.status === 'free')
    .map((slot) => {
      const schedule = input.schedules.get(slot.schedule.reference ?? '');
      const actor = schedule?.actor.find((a) => a.reference?.startsWith('Practitioner/'))?.reference ?? '';
      const reasons: string[] = [];
      let score = 0;
      if (language && speaks(input.practitioners.get(actor), language)) {
        score += 2;
        reasons.push(`speaks ${input.languageNames?.[baseLanguage(language)] ?? language}`);
      }
      if (hasTimePreference && suitsTime(slot.start, pref)) {
        score += 1;
        reasons.push(`suits "${times}"`);
      }
      return { slot, score, reasons };
    })
    .sort((a, b) => b.score - a.score || a.slot.start.localeCompare(b.slot.start));
}
