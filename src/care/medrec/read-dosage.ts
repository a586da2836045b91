// How much and how often, from what lists hold: a structured Dosage (timing.repeat, doseAndRate) or
// its words ("40 mg by mouth at bedtime", "1 puff twice daily", "every 6 hours as needed", "BID").
// Pure.
import type { Dosage } from '@medplum/fhirtypes';
import { normalizeStrength } from './resolve-medication.js';

export type TimeOfDay = 'morning' | 'midday' | 'evening' | 'bedtime';

export interface ReadDosage {
  readonly text: string;
  readonly dose?: { readonly value: number; readonly unit: string };
  /** Times per day (a weekly dose is 1/7); undefined when not said. */
  readonly timesPerDay?: number;
  readonly asNeeded: boolean;
  readonly timesOfDay: readonly TimeOfDay[];
}

const PERIOD_DAYS: Readonly<Record<string, number>> = { h: 1 / 24, d: 1, wk: 7, mo: 30, min: 1 / 1440, s: 1 / 86400 };

function frequencyFromText(t: string): { times?: number; when?: TimeOfDay[] } {
  if (/\b(at bedtime|qhs|before bed|nightly)\b/.test(t)) return { times: 1, when: ['bedtime'] };
  if (/\b(every morning|each morning|in the morning|qam)\b/.test(t)) return { times: 1, when: ['morning'] };
  if (/\b(every evening|in the evening|qpm)\b/.test(t)) return { times: 1, when: ['evening'] };
  const hours = /\b(?:every|q)\s*(\d+)\s*(?:hours?|hrs?|h)\b/.exec(t);
  if (hours) return { times: 24 / Number(hours[1]) };
  if (/\b(four times|4 times|qid)\b/.test(t)) return { times: 4 };
  if (/\b(three times|3 times|tid)\b/.test(t)) return { times: 3 };
  if (/\b(twice|two times|2 times|bid)\b/.test(t)) return { times: 2 };
  if (/\b(weekly|once a week|every week)\b/.test(t)) return { times: 1 / 7 };
  if (/\b(once daily|once a day|daily|every day|qd|per day|a day)\b/.test(t)) return { times: 1 };
  return {};
}

const DOSE = /(\d+(?:\.\d+)?)\s*(mg|mcg|g|units?|puffs?|tablets?|capsules?|drops?|ml)\b/i;

/** The usual times of day for a number of doses (what the schedule shows when the list does not say). */
export function timesOfDayFor(timesPerDay: number | undefined): TimeOfDay[] {
  switch (timesPerDay) {
    case 1:
      return ['morning'];
    case 2:
      return ['morning', 'evening'];
    case 3:
      return ['morning', 'midday', 'evening'];
    case 4:
      return ['morning', 'midday', 'evening', 'bedtime'];
    default:
      return [];
  }
}

export function readDosage(dosages: readonly Dosage[] | undefined): ReadDosage {
  const d = dosages?.[0];
  const text = d?.text ?? d?.patientInstruction ?? '';
  const t = text.toLowerCase();
  const repeat = d?.timing?.repeat;
  let timesPerDay: number | undefined;
  if (repeat?.frequency && repeat.period && repeat.periodUnit)
    timesPerDay = repeat.frequency / (repeat.period * (PERIOD_DAYS[repeat.periodUnit] ?? 1));
  const fromText = frequencyFromText(t);
  timesPerDay ??= fromText.times;
  const quantity = d?.doseAndRate?.[0]?.doseQuantity;
  const m = DOSE.exec(t);
  const dose =
    quantity?.value !== undefined
      ? normalizeStrength(quantity.value, quantity.unit ?? quantity.code ?? '')
      : m
        ? normalizeStrength(Number(m[1]), (m[2] as string).toLowerCase().replace(/s$/, ''))
        : undefined;
  const when = (repeat?.when ?? []).flatMap((w): TimeOfDay[] =>
    w === 'HS'
      ? ['bedtime']
      : w.startsWith('MORN') || w === 'ACM' || w === 'PCM'
        ? ['morning']
        : w.startsWith('EVE') || w === 'ACV' || w === 'PCV'
          ? ['evening']
          : w === 'ACD' || w === 'PCD' || w.startsWith('AFT')
            ? ['midday']
            : [],
  );
  const asNeeded =
    d?.asNeededBoolean === true ||
    d?.asNeededCodeableConcept !== undefined ||
    /\b(as needed|prn|when needed)\b/.test(t);
  const timesOfDay = when.length ? when : (fromText.when ?? (asNeeded ? [] : timesOfDayFor(timesPerDay)));
  return {
    text,
    ...(dose ? { dose } : {}),
    ...(timesPerDay !== undefined ? { timesPerDay: Math.round(timesPerDay * 1000) / 1000 } : {}),
    asNeeded,
    timesOfDay,
  };
}
