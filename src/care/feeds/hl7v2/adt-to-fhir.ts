// An ADT event as FHIR resources, following the HL7 Version 2 to FHIR mapping guide
// (build.fhir.org/ig/HL7/v2-to-fhir) where it speaks: PID to Patient, PV1 to Encounter (class from
// PV1-2, location PV1-3, attending PV1-7, admit source PV1-14, discharge disposition PV1-36, period
// from PV1-44 and PV1-45, the visit number PV1-19 as an identifier). The transition engine
// (src/care/transitions) then reads the Encounter as it reads one posted over FHIR.
import type { AllergyIntolerance, Condition, Encounter, Identifier, Patient } from '@medplum/fhirtypes';
import type { AdtCoded, AdtEvent, AdtIdentifier } from './read-adt.js';

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const V2_0004 = 'http://terminology.hl7.org/CodeSystem/v2-0004';
const V2_0023 = 'http://terminology.hl7.org/CodeSystem/v2-0023';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const DISPOSITION = 'http://terminology.hl7.org/CodeSystem/discharge-disposition';

/**
 * The identifier system of an assigning authority (CX-4): an OID as `urn:oid:`, else a Careloop URI
 * naming the authority, or the sending facility when the identifier names none.
 */
export function identifierSystem(authority: string | undefined, sendingFacility: string): string {
  const name = authority ?? sendingFacility;
  if (/^[0-2](\.\d+)+$/.test(name)) return `urn:oid:${name}`;
  return `http://careloop.org/fhir/sid/hl7v2/${encodeURIComponent(name || 'unknown')}`;
}

export function toIdentifier(id: AdtIdentifier, sendingFacility: string): Identifier {
  return {
    ...(id.type ? { type: { coding: [{ system: V2_0203, code: id.type }] } } : {}),
    system: identifierSystem(id.authority, sendingFacility),
    value: id.value,
  };
}

/** The visit number's identifier (PV1-19): the sending facility's namespace unless it names one. */
export function visitIdentifier(adt: AdtEvent): Identifier | undefined {
  const number = adt.visit?.number;
  if (!number) return undefined;
  return {
    type: { coding: [{ system: V2_0203, code: number.type ?? 'VN' }] },
    system: `${identifierSystem(number.authority, adt.sendingFacility)}/visit`,
    value: number.value,
  };
}

const GENDER: Readonly<Record<string, Patient['gender']>> = {
  M: 'male',
  F: 'female',
  O: 'other',
  A: 'other',
  U: 'unknown',
  N: 'unknown',
};

export function patientFromAdt(adt: AdtEvent, id: string): Patient & { id: string } {
  const p = adt.patient;
  const gender = p.sex ? GENDER[p.sex.toUpperCase()] : undefined;
  return {
    resourceType: 'Patient',
    id,
    active: true,
    identifier: p.identifiers.map((i) => toIdentifier(i, adt.sendingFacility)),
    ...(p.family || p.given.length
      ? { name: [{ ...(p.family ? { family: p.family } : {}), ...(p.given.length ? { given: [...p.given] } : {}) }] }
      : {}),
    ...(gender ? { gender } : {}),
    ...(p.birthDate ? { birthDate: p.birthDate } : {}),
  };
}

/** PV1-2 (table 0004) as Encounter.class (v3 ActEncounterCode), per the mapping guide's IS[0004]. */
const CLASS: Readonly<Record<string, string>> = {
  I: 'IMP',
  INPATIENT: 'IMP',
  B: 'IMP',
  E: 'EMER',
  EMERGENCY: 'EMER',
  O: 'AMB',
  OUTPATIENT: 'AMB',
  R: 'AMB',
  P: 'PRENC',
  C: 'AMB',
  N: 'AMB',
};

const CLASS_NAMES: Readonly<Record<string, string>> = {
  IMP: 'inpatient encounter',
  EMER: 'emergency',
  AMB: 'ambulatory',
  PRENC: 'pre-admission',
};

/**
 * PV1-36 (table 0112, UB-04 patient status codes) as FHIR discharge-disposition codes, which the
 * transition engine reads (home and home health are discharges to the community: TCM applies).
 */
export const DISPOSITIONS: Readonly<Record<string, string>> = {
  '01': 'home',
  '02': 'other-hcf',
  '03': 'snf',
  '04': 'long',
  '05': 'other-hcf',
  '06': 'hh',
  '07': 'aadvice',
  '20': 'exp',
  '21': 'oth',
  '43': 'other-hcf',
  '50': 'hosp',
  '51': 'hosp',
  '61': 'snf',
  '62': 'rehab',
  '63': 'long',
  '64': 'snf',
  '65': 'psy',
  '66': 'other-hcf',
  '70': 'other-hcf',
};

function statusOf(adt: AdtEvent, previous: Encounter | undefined): Encounter['status'] {
  switch (adt.event) {
    case 'A13':
      return 'in-progress';
    case 'A03':
      return 'finished';
    case 'A11':
      return 'cancelled';
    case 'A04':
      return previous?.status === 'finished' ? 'finished' : 'arrived';
    case 'A08':
      return adt.visit?.discharged ? 'finished' : (previous?.status ?? 'in-progress');
    default:
      // A late admission or transfer (messages out of order) does not reopen a discharged stay:
      // only a cancelled discharge (A13) does.
      return previous?.status === 'finished' ? 'finished' : 'in-progress';
  }
}

/**
 * The visit as an Encounter, on top of what is stored (an update keeps what the message does not
 * say). A13 (cancel discharge) reopens it: no end, no disposition.
 */
export function encounterFromAdt(
  adt: AdtEvent,
  id: string,
  patientId: string,
  previous: Encounter | undefined,
): Encounter & { id: string } {
  const visit = adt.visit;
  const raw = visit?.patientClass.toUpperCase() ?? '';
  const code = CLASS[raw] ?? CLASS[raw.charAt(0)];
  const klass = code
    ? { system: ACT_CODE, code, display: CLASS_NAMES[code] }
    : (previous?.class ?? { system: V2_0004, code: visit?.patientClass || 'U' });
  const reopened = adt.event === 'A13';
  const start = visit?.admitted ?? previous?.period?.start;
  const end = reopened ? undefined : (visit?.discharged ?? previous?.period?.end);
  const dispositionCode = visit?.disposition?.code;
  const disposition = reopened
    ? undefined
    : dispositionCode
      ? {
          coding: [
            DISPOSITIONS[dispositionCode]
              ? { system: DISPOSITION, code: DISPOSITIONS[dispositionCode] }
              : { system: 'http://terminology.hl7.org/CodeSystem/v2-0112', code: dispositionCode },
          ],
          ...(visit?.disposition?.display ? { text: visit.disposition.display } : {}),
        }
      : adt.event === 'A03'
        ? // A discharge that names no disposition: "other", for the coordinator to correct.
          { coding: [{ system: DISPOSITION, code: 'oth' }], text: 'Not given by the hospital' }
        : previous?.hospitalization?.dischargeDisposition;
  const identifier = visitIdentifier(adt);
  return withoutUndefined({
    ...(previous ?? {}),
    resourceType: 'Encounter',
    id,
    status: statusOf(adt, previous),
    class: klass,
    subject: { reference: `Patient/${patientId}` },
    ...(identifier ? { identifier: [identifier] } : {}),
    ...(start || end ? { period: { ...(start ? { start } : {}), ...(end ? { end } : {}) } } : { period: undefined }),
    ...(visit?.location ? { location: [{ location: { display: visit.location } }] } : {}),
    ...(visit?.attending
      ? {
          participant: [
            {
              type: [
                { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ATND' }] },
              ],
              individual: { display: visit.attending },
            },
          ],
        }
      : {}),
    hospitalization: nonEmpty({
      ...(previous?.hospitalization ?? {}),
      ...(visit?.admitSource ? { admitSource: { coding: [{ system: V2_0023, code: visit.admitSource }] } } : {}),
      dischargeDisposition: disposition,
    }),
    ...(adt.sendingFacility ? { serviceProvider: { display: adt.sendingFacility } } : {}),
  });
}

/** An element with something in it, or none (FHIR has no empty elements). */
function nonEmpty<T extends object>(element: T): T | undefined {
  return Object.values(element).some((v) => v !== undefined) ? element : undefined;
}

/** The resource as it will be stored: no keys left undefined (a cleared period or disposition). */
function withoutUndefined<T>(resource: T): T {
  return JSON.parse(JSON.stringify(resource)) as T;
}

/** Coding systems a CWE's third component names (HL7 table 0396), as FHIR system URIs. */
const CODE_SYSTEMS: Readonly<Record<string, string>> = {
  I10: 'http://hl7.org/fhir/sid/icd-10-cm',
  I10C: 'http://hl7.org/fhir/sid/icd-10-cm',
  I9: 'http://hl7.org/fhir/sid/icd-9-cm',
  I9C: 'http://hl7.org/fhir/sid/icd-9-cm',
  SCT: 'http://snomed.info/sct',
  SNM: 'http://snomed.info/sct',
  RXNORM: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  LN: 'http://loinc.org',
};

function conceptOf(coded: AdtCoded): { coding?: { system?: string; code: string; display?: string }[]; text?: string } {
  const system = coded.system ? CODE_SYSTEMS[coded.system.toUpperCase()] : undefined;
  return {
    ...(coded.code
      ? {
          coding: [
            { ...(system ? { system } : {}), code: coded.code, ...(coded.display ? { display: coded.display } : {}) },
          ],
        }
      : {}),
    ...((coded.display ?? coded.code) ? { text: coded.display ?? coded.code } : {}),
  };
}

/** A resource a message may send again: its identifier, and the conditional update that keeps one. */
export interface FeedEntry<T> {
  readonly resource: T;
  /** `Type?identifier=system|value`: written once, updated when sent again. */
  readonly url: string;
}

const keyOf = (coded: AdtCoded) => encodeURIComponent(`${coded.system ?? ''}|${coded.code ?? coded.display ?? ''}`);

/**
 * DG1 diagnoses as encounter diagnoses of the stay (mapping guide DG1[Condition]), one per code per
 * stay however often the hospital sends them.
 */
export function conditionsFromAdt(
  adt: AdtEvent,
  patientId: string,
  encounterId: string | undefined,
): FeedEntry<Condition>[] {
  const visit = visitIdentifier(adt);
  if (!visit || !encounterId) return [];
  return adt.diagnoses
    .filter((d) => d.code || d.display)
    .map((d) => {
      const identifier = { system: `${visit.system}/diagnosis`, value: `${visit.value}/${keyOf(d)}` };
      return {
        url: `Condition?identifier=${encodeURIComponent(identifier.system)}|${encodeURIComponent(identifier.value)}`,
        resource: {
          resourceType: 'Condition',
          identifier: [identifier],
          clinicalStatus: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
          },
          category: [
            {
              coding: [
                { system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' },
              ],
            },
          ],
          code: conceptOf(d),
          subject: { reference: `Patient/${patientId}` },
          encounter: { reference: `Encounter/${encounterId}` },
        },
      };
    });
}

/** AL1-2 allergen type (table 0127) as AllergyIntolerance.category. */
const ALLERGY_CATEGORY: Readonly<Record<string, 'food' | 'medication' | 'environment' | 'biologic'>> = {
  DA: 'medication',
  FA: 'food',
  EA: 'environment',
  MA: 'environment',
  AA: 'environment',
  PA: 'environment',
  LA: 'environment',
};

/** AL1-4 severity (table 0128) as AllergyIntolerance.criticality. */
const CRITICALITY: Readonly<Record<string, 'low' | 'high' | 'unable-to-assess'>> = {
  SV: 'high',
  MO: 'low',
  MI: 'low',
  U: 'unable-to-assess',
};

/** AL1 allergies of the patient (mapping guide AL1[AllergyIntolerance]), one per allergen. */
export function allergiesFromAdt(
  adt: AdtEvent,
  patientId: string,
  patientSystem: string,
): FeedEntry<AllergyIntolerance>[] {
  return adt.allergies
    .filter((a) => a.code || a.display)
    .map((a) => {
      const identifier = { system: `${patientSystem}/allergy`, value: `${patientId}/${keyOf(a)}` };
      const category = a.type ? ALLERGY_CATEGORY[a.type.toUpperCase()] : undefined;
      const criticality = a.severity ? CRITICALITY[a.severity.toUpperCase()] : undefined;
      return {
        url: `AllergyIntolerance?identifier=${encodeURIComponent(identifier.system)}|${encodeURIComponent(identifier.value)}`,
        resource: {
          resourceType: 'AllergyIntolerance',
          identifier: [identifier],
          clinicalStatus: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }],
          },
          ...(category ? { category: [category] } : {}),
          ...(criticality ? { criticality } : {}),
          code: conceptOf(a),
          patient: { reference: `Patient/${patientId}` },
          ...(a.reaction ? { reaction: [{ manifestation: [{ text: a.reaction }] }] } : {}),
        },
      };
    });
}
