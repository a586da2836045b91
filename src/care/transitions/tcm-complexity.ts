// TCM complexity is the physician's medical decision making (MDM) over the service period, moderate
// (99495) or high (99496) (CPT; CMS TCM FAQs, 2016: "the medical decision making ... over the
// service period"). A readmission score is not MDM: LACE only suggests it (a high band suggests
// high). The physician records it, or a care coordinator records it on a named physician's behalf
// (recorded as such); no one else. Recording sets the face-to-face deadline (7 or 14 days after
// discharge) and medication reconciliation with it. Pure.
import type { EpisodeOfCare, Extension, Reference } from '@medplum/fhirtypes';
import { readEpisode, TCM_URL, withExtension } from './episode-resources.js';
import { type Complexity, type TcmClock, tcmClock } from './tcm-clock.js';

export const COMPLEXITIES: readonly Complexity[] = ['moderate', 'high'];

/** What LACE suggests until the physician decides: a high band suggests high complexity. */
export function suggestComplexity(laceBand: string | undefined): Complexity {
  return laceBand === 'high' ? 'high' : 'moderate';
}

export interface ComplexityRecord {
  readonly complexity: string | undefined;
  /** The person recording, with their name and role in `display`. */
  readonly recordedBy: Reference;
  /** Their Careloop role: physician records their own; coordinator records on a physician's behalf. */
  readonly role: string;
  /** The physician whose decision a coordinator records (Practitioner reference). */
  readonly onBehalfOf?: Reference | undefined;
  readonly at: string;
}

export type ComplexityOutcome =
  | { readonly ok: true; readonly episode: EpisodeOfCare; readonly clock: TcmClock }
  | { readonly ok: false; readonly status: 403 | 422; readonly issues: readonly string[] };

/** Who may record: the physician themselves, a coordinator for a named physician, a backend system (an EHR feed). */
const RECORDERS = new Set(['physician', 'coordinator', 'system']);

/** The parts of the TCM extension that recording the complexity writes. */
const RECORDED_PARTS = new Set([
  'suggestedComplexity',
  'complexity',
  'complexityRecordedBy',
  'complexityOnBehalfOf',
  'complexityRecordedAt',
  'faceToFaceDue',
]);

export function recordComplexity(episode: EpisodeOfCare, record: ComplexityRecord): ComplexityOutcome {
  if (!RECORDERS.has(record.role))
    return {
      ok: false,
      status: 403,
      issues: [
        "TCM complexity is the physician's medical decision making: a physician records it, or a care coordinator on their behalf",
      ],
    };
  const facts = readEpisode(episode);
  const issues: string[] = [];
  if (!COMPLEXITIES.includes(record.complexity as Complexity))
    issues.push(`complexity must be moderate or high, not '${record.complexity ?? ''}'`);
  if (facts.phase !== 'post-discharge' || !facts.dischargeDate || facts.tcm?.eligible !== true)
    issues.push('Only a discharged episode with a running TCM period has a TCM complexity');
  const onBehalf = record.onBehalfOf?.reference;
  if (record.role === 'coordinator' && !onBehalf?.startsWith('Practitioner/'))
    issues.push("A coordinator records the complexity on a physician's behalf: name the physician (onBehalfOf)");
  if (issues.length) return { ok: false, status: 422, issues };
  const complexity = record.complexity as Complexity;
  const clock = tcmClock(facts.dischargeDate as string, complexity);
  // The parts written here replace their old values; the clock's other parts stay.
  const kept = ((episode.extension ?? []).find((e) => e.url === TCM_URL)?.extension ?? []).filter(
    (x) => !RECORDED_PARTS.has(x.url),
  );
  // Read from the facts: an episode from before suggestions were kept apart holds LACE's value as
  // `complexity`, and it stays a suggestion.
  const suggested = facts.tcm?.suggestedComplexity;
  const extension: Extension[] = [
    ...kept,
    ...(suggested ? [{ url: 'suggestedComplexity', valueCode: suggested }] : []),
    { url: 'complexity', valueCode: complexity },
    { url: 'complexityRecordedBy', valueReference: record.recordedBy },
    ...(record.role !== 'physician' && record.onBehalfOf
      ? [{ url: 'complexityOnBehalfOf', valueReference: record.onBehalfOf }]
      : []),
    { url: 'complexityRecordedAt', valueDateTime: record.at },
    { url: 'faceToFaceDue', valueDate: clock.faceToFaceDue },
  ];
  return { ok: true, episode: withExtension(episode, { url: TCM_URL, extension }), clock };
}
