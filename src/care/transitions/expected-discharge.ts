// The expected discharge date of a patient still in hospital: Encounter.plannedEndDate in FHIR R5,
// carried in R4 by its cross-version extension (FHIR R5 "extensions for representing R5 elements in
// R4"), as a hospital feed sends it (HL7 v2 PV2-9 Expected Discharge Date/Time). The follow-up is
// booked for after it: free times are searched from that day on, and an appointment during the
// stay does not make the readiness item done. Pure.
import type { Encounter } from '@medplum/fhirtypes';
import { addDays } from '../calendar/calendar-days.js';
import { TRANSITION_CLASSES } from './episode-resources.js';

export const PLANNED_END_URL = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Encounter.plannedEndDate';

const STAYING = new Set(['planned', 'arrived', 'triaged', 'in-progress', 'onleave']);

/** The inpatient or observation stay the patient is in now, if any. */
export function currentStay(encounters: readonly Encounter[]): Encounter | undefined {
  return encounters.find((e) => TRANSITION_CLASSES.includes(e.class?.code ?? '') && STAYING.has(e.status));
}

/** The stay's expected discharge (a FHIR dateTime), if the hospital said. */
export function expectedDischarge(stay: Encounter | undefined): string | undefined {
  return stay?.extension?.find((x) => x.url === PLANNED_END_URL)?.valueDateTime;
}

/**
 * The first day to look for follow-up times: today, or the day of the expected discharge when the
 * patient is in hospital and it is later (`undefined` expected and in hospital: tomorrow at the earliest).
 */
export function firstFollowUpDay(input: {
  today: string;
  requested?: string | undefined;
  stay: Encounter | undefined;
  dateOf: (instant: string) => string;
}): string {
  // Dates compare as strings (YYYY-MM-DD): the later of two is the last once sorted.
  const later = (a: string, b: string): string => [a, b].sort()[1] as string;
  const from = input.requested ? later(input.requested, input.today) : input.today;
  if (!input.stay) return from;
  const expected = expectedDischarge(input.stay);
  const after = expected ? input.dateOf(expected) : addDays(input.today, 1);
  return later(after, from);
}
