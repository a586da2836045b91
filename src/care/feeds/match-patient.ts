// Whose record a hospital message or document is about (issue 18's matching rules, the same for
// HL7 v2 ADT and C-CDA): by identifier first; a patient Careloop does not know at all is registered
// from it; a doubtful match — the identifiers held by several patients, a known identifier with
// another family name or birth date, or the same name and birth date under another identifier —
// writes nothing and waits for a coordinator (feed review).
import type { Patient } from '@medplum/fhirtypes';

export interface PatientCandidates {
  /** Patients holding any of the incoming identifiers. */
  readonly byIdentifier: readonly Patient[];
  /** Patients with the incoming family name, given name and birth date (any identifier). */
  readonly byDemographics: readonly Patient[];
}

export interface IncomingDemographics {
  readonly family: string | undefined;
  readonly birthDate: string | undefined;
}

const same = (a: string | undefined, b: string | undefined) =>
  a === undefined || b === undefined || a.localeCompare(b, 'en', { sensitivity: 'base' }) === 0;

export const distinctPatients = (patients: readonly Patient[]): Patient[] => [
  ...new Map(patients.map((p) => [p.id, p])).values(),
];

/** Why the patient is not certain, or undefined when the identifiers settle it (or nobody matches). */
export function doubtAboutPatient(incoming: IncomingDemographics, found: PatientCandidates): string | undefined {
  const distinct = distinctPatients(found.byIdentifier);
  if (distinct.length > 1) return `The identifiers belong to ${distinct.length} different patients in Careloop`;
  const patient = distinct[0];
  if (patient && (!same(patient.birthDate, incoming.birthDate) || !same(patient.name?.[0]?.family, incoming.family)))
    return 'A known identifier arrived with a different name or birth date';
  if (!patient && found.byDemographics.length > 0)
    return 'A patient with this name and birth date is known under another identifier';
  return undefined;
}
