// A transition episode as FHIR: an EpisodeOfCare of type "transition" for the patient, tied to the
// inpatient or observation Encounter that opened it (an identifier, so a repeated or out-of-order
// message finds it rather than opening a second one), with its phase (admitted, post-discharge,
// closed), the discharge, the LACE score with its components and the TCM clock as extensions.
// Pure.
import type { EpisodeOfCare, Extension, Reference } from '@medplum/fhirtypes';
import { addDays } from '../calendar/calendar-days.js';
import type { LaceResult } from './lace-index.js';
import type { TcmClock } from './tcm-clock.js';

const SD = 'http://careloop.org/fhir/StructureDefinition';
export const ENCOUNTER_IDENTIFIER = 'http://careloop.org/fhir/transition-encounter';
export const EPISODE_TYPE = {
  system: 'http://careloop.org/fhir/CodeSystem/episode-type',
  code: 'transition',
  display: 'Transition of care',
};
export const PHASE_URL = `${SD}/transition-phase`;
export const DISCHARGE_URL = `${SD}/transition-discharge`;
export const LACE_URL = `${SD}/lace-index`;
export const TCM_URL = `${SD}/tcm-clock`;
export const READMISSION_URL = `${SD}/readmission`;
export const READMISSION_OF_URL = `${SD}/readmission-of`;
export const OUTCOME_URL = `${SD}/transition-outcome`;

export type Phase = 'admitted' | 'post-discharge' | 'closed';

/** Encounter classes that open a transition (v3 ActCode): inpatient, acute and non-acute inpatient, observation. */
export const TRANSITION_CLASSES: readonly string[] = ['IMP', 'ACUTE', 'NONAC', 'OBSENC'];

const ext = (episode: EpisodeOfCare, url: string) => episode.extension?.find((e) => e.url === url);
const sub = (e: Extension | undefined, url: string) => e?.extension?.find((x) => x.url === url);

export function phaseOf(episode: EpisodeOfCare): Phase {
  return (ext(episode, PHASE_URL)?.valueCode as Phase | undefined) ?? 'admitted';
}

export function withExtension(episode: EpisodeOfCare, extension: Extension): EpisodeOfCare {
  return { ...episode, extension: [...(episode.extension ?? []).filter((e) => e.url !== extension.url), extension] };
}

export function newEpisode(input: {
  patient: string;
  encounter: string;
  start: string | undefined;
  careManager?: { reference?: string; display?: string } | undefined;
  organization?: string | undefined;
}): EpisodeOfCare {
  return {
    resourceType: 'EpisodeOfCare',
    identifier: [{ system: ENCOUNTER_IDENTIFIER, value: input.encounter }],
    status: 'active',
    type: [{ coding: [EPISODE_TYPE], text: 'Transition of care' }],
    patient: { reference: `Patient/${input.patient}` },
    ...(input.organization ? { managingOrganization: { reference: input.organization } } : {}),
    ...(input.start ? { period: { start: input.start } } : {}),
    ...(input.careManager?.reference ? { careManager: input.careManager } : {}),
    extension: [{ url: PHASE_URL, valueCode: 'admitted' }],
  } as EpisodeOfCare;
}

export interface DischargeFacts {
  readonly date: string;
  readonly disposition: string | undefined;
  readonly lace: LaceResult;
  readonly tcm: TcmClock | undefined;
  /** Why no TCM (another setting, or a TCM already in the last 30 days). */
  readonly noTcmReason?: string | undefined;
}

/**
 * The episode as before its discharge: a cancelled discharge (ADT A13) takes back the discharge,
 * its LACE score and its TCM clock; the patient is in hospital again.
 */
export function undischargedEpisode(episode: EpisodeOfCare): EpisodeOfCare {
  const dropped = new Set([DISCHARGE_URL, LACE_URL, TCM_URL]);
  return withExtension(
    { ...episode, extension: (episode.extension ?? []).filter((e) => !dropped.has(e.url)) },
    { url: PHASE_URL, valueCode: 'admitted' },
  );
}

export function dischargedEpisode(episode: EpisodeOfCare, facts: DischargeFacts): EpisodeOfCare {
  let next = withExtension(episode, { url: PHASE_URL, valueCode: 'post-discharge' });
  next = withExtension(next, {
    url: DISCHARGE_URL,
    extension: [
      { url: 'date', valueDate: facts.date },
      ...(facts.disposition ? [{ url: 'disposition', valueCode: facts.disposition }] : []),
    ],
  });
  const c = facts.lace.components;
  next = withExtension(next, {
    url: LACE_URL,
    extension: [
      { url: 'total', valueInteger: facts.lace.total },
      { url: 'band', valueCode: facts.lace.band },
      { url: 'length', valueInteger: c.length.points },
      { url: 'lengthDays', valueInteger: c.length.days },
      { url: 'acuity', valueInteger: c.acuity.points },
      { url: 'comorbidity', valueInteger: c.comorbidity.points },
      { url: 'charlson', valueInteger: c.comorbidity.charlson },
      ...c.comorbidity.categories.map((cat) => ({ url: 'charlsonCategory', valueCode: cat })),
      { url: 'emergency', valueInteger: c.emergency.points },
      { url: 'edVisits', valueInteger: c.emergency.visits },
    ],
  });
  next = withExtension(next, {
    url: TCM_URL,
    extension: facts.tcm
      ? [
          { url: 'eligible', valueBoolean: true },
          // LACE suggests; the physician's medical decision making decides (tcm-complexity.ts).
          { url: 'suggestedComplexity', valueCode: facts.tcm.complexity },
          { url: 'contactDue', valueDate: facts.tcm.contactDue },
          { url: 'faceToFaceDue', valueDate: facts.tcm.faceToFaceDue },
          { url: 'periodEnd', valueDate: facts.tcm.periodEnd },
        ]
      : [
          { url: 'eligible', valueBoolean: false },
          ...(facts.noTcmReason ? [{ url: 'reason', valueString: facts.noTcmReason }] : []),
        ],
  });
  return next;
}

/**
 * The numbers of a stored LACE score: its key (the sub-extension url and the EpisodeFacts field) and
 * the name $tcm-status answers it by (L, A, C, E as the LACE tool names its components). One table
 * for reading the episode and answering for it.
 */
export const LACE_NUMBERS = [
  ['total', 'total'],
  ['length', 'L'],
  ['acuity', 'A'],
  ['comorbidity', 'C'],
  ['emergency', 'E'],
  ['lengthDays', 'lengthOfStayDays'],
  ['charlson', 'charlson'],
  ['edVisits', 'edVisits'],
] as const;
export type LaceNumber = (typeof LACE_NUMBERS)[number][0];

export interface EpisodeFacts {
  readonly phase: Phase;
  readonly encounter: string | undefined;
  readonly dischargeDate: string | undefined;
  readonly disposition: string | undefined;
  readonly lace:
    | {
        total: number;
        band: string;
        length: number;
        lengthDays: number;
        acuity: number;
        comorbidity: number;
        charlson: number;
        categories: string[];
        emergency: number;
        edVisits: number;
      }
    | undefined;
  readonly tcm:
    | {
        eligible: boolean;
        /** The complexity the physician recorded (medical decision making); absent until recorded. */
        complexity?: string;
        /** What LACE suggests (high band: high), until the physician decides. */
        suggestedComplexity?: string;
        /** Who recorded the complexity ("Name (role)"), and for whom when not the physician. */
        complexityRecordedBy?: Reference;
        complexityOnBehalfOf?: Reference;
        complexityRecordedAt?: string;
        contactDue?: string;
        faceToFaceDue?: string;
        periodEnd?: string;
        reason?: string;
      }
    | undefined;
  readonly readmission: string | undefined;
  readonly outcome: string | undefined;
}

export function readEpisode(episode: EpisodeOfCare): EpisodeFacts {
  const discharge = ext(episode, DISCHARGE_URL);
  const lace = ext(episode, LACE_URL);
  const tcm = ext(episode, TCM_URL);
  const int = (e: Extension | undefined, url: string) => sub(e, url)?.valueInteger ?? 0;
  return {
    phase: phaseOf(episode),
    encounter: episode.identifier?.find((i) => i.system === ENCOUNTER_IDENTIFIER)?.value,
    dischargeDate: sub(discharge, 'date')?.valueDate,
    disposition: sub(discharge, 'disposition')?.valueCode,
    lace: lace
      ? {
          ...(Object.fromEntries(LACE_NUMBERS.map(([key]) => [key, int(lace, key)])) as Record<LaceNumber, number>),
          band: sub(lace, 'band')?.valueCode ?? '',
          categories: (lace.extension ?? []).filter((x) => x.url === 'charlsonCategory').map((x) => x.valueCode ?? ''),
        }
      : undefined,
    tcm: tcm
      ? {
          eligible: sub(tcm, 'eligible')?.valueBoolean === true,
          ...complexityOf(tcm),
          ...(sub(tcm, 'contactDue')?.valueDate ? { contactDue: sub(tcm, 'contactDue')?.valueDate as string } : {}),
          ...(sub(tcm, 'faceToFaceDue')?.valueDate
            ? { faceToFaceDue: sub(tcm, 'faceToFaceDue')?.valueDate as string }
            : {}),
          ...(sub(tcm, 'periodEnd')?.valueDate ? { periodEnd: sub(tcm, 'periodEnd')?.valueDate as string } : {}),
          ...(sub(tcm, 'reason')?.valueString ? { reason: sub(tcm, 'reason')?.valueString as string } : {}),
        }
      : undefined,
    readmission: ext(episode, READMISSION_URL)?.valueReference?.reference,
    outcome: ext(episode, OUTCOME_URL)?.valueCode,
  };
}

/**
 * The TCM complexity as recorded: `complexity` only with who recorded it. An episode written before
 * complexity was recorded by a person holds LACE's suggestion as `complexity`: read as a suggestion.
 */
function complexityOf(tcm: Extension) {
  const code = (url: string) => sub(tcm, url)?.valueCode;
  const by = sub(tcm, 'complexityRecordedBy')?.valueReference;
  const onBehalfOf = sub(tcm, 'complexityOnBehalfOf')?.valueReference;
  const at = sub(tcm, 'complexityRecordedAt')?.valueDateTime;
  const suggested = code('suggestedComplexity') ?? (by ? undefined : code('complexity'));
  return {
    ...(by && code('complexity') ? { complexity: code('complexity') as string, complexityRecordedBy: by } : {}),
    ...(suggested ? { suggestedComplexity: suggested } : {}),
    ...(onBehalfOf ? { complexityOnBehalfOf: onBehalfOf } : {}),
    ...(at ? { complexityRecordedAt: at } : {}),
  };
}

/** The episode closed with its outcome once 30 days have passed since discharge (else undefined). */
export function closedEpisode(episode: EpisodeOfCare, today: string): EpisodeOfCare | undefined {
  const facts = readEpisode(episode);
  if (facts.phase !== 'post-discharge' || !facts.dischargeDate) return undefined;
  const closeOn = addDays(facts.dischargeDate, 30);
  if (today < closeOn) return undefined;
  let next = withExtension(episode, { url: PHASE_URL, valueCode: 'closed' });
  next = withExtension(next, {
    url: OUTCOME_URL,
    valueCode: facts.readmission ? 'readmitted-within-30-days' : 'no-readmission-within-30-days',
  });
  return { ...next, status: 'finished', period: { ...(episode.period ?? {}), end: closeOn } };
}
