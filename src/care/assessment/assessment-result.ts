// What scoring an instrument finds, before it becomes FHIR resources: a total with its band, and the
// findings (a need, a safety signal, an activity needing help), each positive or not, with the
// concern a positive one raises.
import type { CodeableConcept, Coding } from '@medplum/fhirtypes';

export const LOINC = 'http://loinc.org';
export const RESULT_SYSTEM = 'http://careloop.org/fhir/CodeSystem/assessment-result';
export const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

export interface ScoredTotal {
  readonly code: Coding;
  readonly value: number;
  /** The severity band (PHQ-9, GAD-7, Katz) or screen result (PHQ-2, HITS). */
  readonly band?: Coding;
  readonly positive?: boolean;
  /** The concern a positive total raises. */
  readonly concern?: string;
}

/** A result written as its own Observation (beside the total). */
export interface Finding {
  /** Stable key of what was found ('food-insecurity', 'self-harm-thoughts'). */
  readonly key: string;
  /** The Observation's code. */
  readonly code: Coding;
  readonly positive: boolean;
  readonly value?: CodeableConcept | number;
  /** Activities needing help, for the functional instruments (Observation.component). */
  readonly components?: readonly Coding[];
  /** Why this finding is reported on its own (e.g. an item a total can miss). */
  readonly note?: string;
  /** The concern (content/assessment/concerns.json key) a positive finding raises. */
  readonly concern?: string;
  /** A positive finding that needs same-day action (a stat task and a flag). */
  readonly safety?: boolean;
}

export interface AssessmentResult {
  readonly instrument: string;
  readonly total?: ScoredTotal;
  readonly findings: readonly Finding[];
}

export const positiveInterpretation = (positive: boolean): Coding => ({
  system: INTERPRETATION,
  code: positive ? 'POS' : 'NEG',
  display: positive ? 'Positive' : 'Negative',
});

/** The band a score falls in; bands are [lowest score, code, display], ascending. */
export function bandOf(score: number, bands: readonly (readonly [number, string, string])[]): Coding {
  let found = bands[0];
  for (const band of bands) if (score >= band[0]) found = band;
  if (!found) throw new Error('no bands');
  return { system: RESULT_SYSTEM, code: found[1], display: found[2] };
}
