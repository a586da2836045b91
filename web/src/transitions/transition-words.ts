// Transition episodes as the screens show them: the board's columns, the TCM status and readiness
// read from the server's Parameters, in words.
import type { EpisodeOfCare, Parameters, Reference } from '@medplum/fhirtypes';
import { named, part } from '../api/parameters.js';

const SD = 'http://careloop.org/fhir/StructureDefinition';
const ext = (e: EpisodeOfCare, name: string) => e.extension?.find((x) => x.url === `${SD}/${name}`);
const sub = (e: EpisodeOfCare, name: string, part: string) => ext(e, name)?.extension?.find((x) => x.url === part);

export interface EpisodeCard {
  readonly id: string;
  readonly patient: string;
  readonly phase: string;
  readonly admitted: string | undefined;
  readonly discharged: string | undefined;
  readonly disposition: string | undefined;
  readonly band: string | undefined;
  readonly laceTotal: number | undefined;
  readonly contactDue: string | undefined;
  readonly faceToFaceDue: string | undefined;
  readonly tcmEligible: boolean;
}

export function episodeCard(e: EpisodeOfCare): EpisodeCard {
  return {
    id: e.id ?? '',
    patient: (e.patient.reference ?? '').replace(/^Patient\//, ''),
    phase: ext(e, 'transition-phase')?.valueCode ?? 'admitted',
    admitted: e.period?.start,
    discharged: sub(e, 'transition-discharge', 'date')?.valueDate,
    disposition: sub(e, 'transition-discharge', 'disposition')?.valueCode,
    band: sub(e, 'lace-index', 'band')?.valueCode,
    laceTotal: sub(e, 'lace-index', 'total')?.valueInteger,
    contactDue: sub(e, 'tcm-clock', 'contactDue')?.valueDate,
    faceToFaceDue: sub(e, 'tcm-clock', 'faceToFaceDue')?.valueDate,
    tcmEligible: sub(e, 'tcm-clock', 'eligible')?.valueBoolean === true,
  };
}

export type Column = 'admitted' | 'contact-due' | 'follow-up-due' | 'closed';

export const COLUMN_TITLES: Readonly<Record<Column, string>> = {
  admitted: 'In hospital — planning discharge',
  'contact-due': 'Discharged — contact due',
  'follow-up-due': 'Discharged — follow-up due',
  closed: 'Closed',
};

/** Which column a card belongs in, given whether the TCM contact is done; and whether it is overdue. */
export function columnOf(card: EpisodeCard, contactDone: boolean, today: string): { column: Column; overdue: boolean } {
  if (card.phase === 'closed') return { column: 'closed', overdue: false };
  if (card.phase === 'admitted') return { column: 'admitted', overdue: false };
  if (!contactDone && card.tcmEligible) return { column: 'contact-due', overdue: (card.contactDue ?? '9999') < today };
  return { column: 'follow-up-due', overdue: (card.faceToFaceDue ?? '9999') < today };
}

export interface TcmView {
  readonly eligible: boolean;
  readonly code: string;
  readonly reasons: readonly string[];
  /** The complexity the physician recorded (medical decision making); undefined until recorded. */
  readonly complexity: string | undefined;
  /** What LACE suggests until then. */
  readonly suggestedComplexity: string | undefined;
  /** Who recorded it ("Name (role)") and for whom. */
  readonly complexityRecordedBy: string | undefined;
  readonly complexityOnBehalfOf: string | undefined;
  readonly complexityRecordedAt: string | undefined;
  /** The team's physician, on whose behalf a coordinator records it. */
  readonly physician: Reference | undefined;
  readonly dischargeDate: string | undefined;
  readonly contactDue: string | undefined;
  readonly faceToFaceDue: string | undefined;
  readonly periodEnd: string | undefined;
  readonly contactMet: boolean;
  readonly contactDetail: string;
  readonly faceToFaceDetail: string;
  readonly medicationDetail: string;
  readonly attempts: readonly {
    at: string;
    channel: string;
    successful: boolean;
    timely: boolean;
    note: string | undefined;
  }[];
  readonly lace:
    | {
        total: number;
        band: string;
        L: number;
        A: number;
        C: number;
        E: number;
        days: number;
        charlson: number;
        edVisits: number;
      }
    | undefined;
}

export function readTcm(body: Parameters): TcmView {
  const one = (name: string) => named(body, name)[0];
  const lace = one('lace');
  const int = (name: string) => part(lace, name)?.valueInteger ?? 0;
  return {
    eligible: one('eligible')?.valueBoolean === true,
    code: one('code')?.valueCode ?? 'none',
    reasons: named(body, 'reason').map((r) => r.valueString ?? ''),
    complexity: one('complexity')?.valueCode,
    suggestedComplexity: one('suggestedComplexity')?.valueCode,
    complexityRecordedBy: one('complexityRecordedBy')?.valueString,
    complexityOnBehalfOf: one('complexityOnBehalfOf')?.valueString,
    complexityRecordedAt: one('complexityRecordedAt')?.valueDateTime,
    physician: one('physician')?.valueReference,
    dischargeDate: one('dischargeDate')?.valueDate,
    contactDue: one('contactDue')?.valueDate,
    faceToFaceDue: one('faceToFaceDue')?.valueDate,
    periodEnd: one('periodEnd')?.valueDate,
    contactMet: part(one('contact'), 'met')?.valueBoolean === true,
    contactDetail: part(one('contact'), 'detail')?.valueString ?? '',
    faceToFaceDetail: part(one('faceToFace'), 'detail')?.valueString ?? '',
    medicationDetail: part(one('medicationReconciliation'), 'detail')?.valueString ?? '',
    attempts: named(body, 'attempt').map((a) => ({
      at: part(a, 'at')?.valueDateTime ?? '',
      channel: part(a, 'channel')?.valueCode ?? '',
      successful: part(a, 'successful')?.valueBoolean === true,
      timely: part(a, 'timely')?.valueBoolean === true,
      note: part(a, 'note')?.valueString,
    })),
    lace: lace
      ? {
          total: int('total'),
          band: part(lace, 'band')?.valueCode ?? '',
          L: int('L'),
          A: int('A'),
          C: int('C'),
          E: int('E'),
          days: int('lengthOfStayDays'),
          charlson: int('charlson'),
          edVisits: int('edVisits'),
        }
      : undefined,
  };
}

export interface ReadinessView {
  readonly ready: boolean;
  readonly items: readonly {
    id: string;
    label: string;
    state: string;
    owner: string;
    detail: string;
    red?: number;
    cti?: string;
  }[];
}

export function readReadiness(body: Parameters): ReadinessView {
  return {
    ready: named(body, 'ready')[0]?.valueBoolean === true,
    items: named(body, 'item').map((i) => ({
      id: part(i, 'id')?.valueCode ?? '',
      label: part(i, 'label')?.valueString ?? '',
      state: part(i, 'state')?.valueCode ?? '',
      owner: part(i, 'owner')?.valueCode ?? '',
      detail: part(i, 'detail')?.valueString ?? '',
      ...(part(i, 'projectRed')?.valueInteger ? { red: part(i, 'projectRed')?.valueInteger as number } : {}),
      ...(part(i, 'ctiPillar')?.valueCode ? { cti: part(i, 'ctiPillar')?.valueCode as string } : {}),
    })),
  };
}
