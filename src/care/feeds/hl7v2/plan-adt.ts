// What an ADT event does to the record, decided from what Careloop already holds: which patient it
// is (by identifier first, then — only to doubt — by name and birth date), and the Patient and
// Encounter to write, as one FHIR transaction. A doubtful patient writes nothing clinical: the
// message waits for a coordinator ("feed review"). The transition engine reacts to the Encounter.
import type { Bundle, Encounter, Identifier, Patient } from '@medplum/fhirtypes';
import { distinctPatients, doubtAboutPatient } from '../match-patient.js';
import {
  allergiesFromAdt,
  conditionsFromAdt,
  encounterFromAdt,
  patientFromAdt,
  toIdentifier,
  visitIdentifier,
} from './adt-to-fhir.js';
import type { AdtEvent } from './read-adt.js';

/** What is looked up before deciding (the caller reads it with system access). */
export interface AdtLookup {
  /** Patients holding any of these identifiers. */
  readonly byIdentifier: readonly Patient[];
  /** Patients with the message's family name, given name and birth date (any identifier). */
  readonly byDemographics: readonly Patient[];
  /** The stay with the message's visit number, if Careloop has it. */
  readonly encounter: Encounter | undefined;
}

export type AdtPlan =
  | {
      readonly kind: 'apply';
      readonly bundle: Bundle;
      readonly patientId: string;
      readonly encounterId: string | undefined;
    }
  | { readonly kind: 'review'; readonly reason: string }
  | { readonly kind: 'refuse'; readonly reason: string; readonly segment: string; readonly field: number };

/**
 * What a coordinator decided for a held message (feed review): it is about this patient (`link`),
 * or about a patient Careloop does not know yet (`create`). Either ends the doubt; the rest of the
 * message is applied as usual.
 */
export type AdtResolution = { readonly link: Patient } | { readonly create: true };

/** The identifiers, as FHIR search tokens (`system|value`), a patient is looked up by. */
export function patientTokens(adt: AdtEvent): string[] {
  return adt.patient.identifiers.map((i) => {
    const id = toIdentifier(i, adt.sendingFacility);
    return `${id.system}|${id.value}`;
  });
}

/** The identifiers of the patient an A40 retires (MRG-1), as search tokens. */
export function mergedTokens(adt: AdtEvent): string[] {
  return adt.mergedIdentifiers.map((i) => {
    const id = toIdentifier(i, adt.sendingFacility);
    return `${id.system}|${id.value}`;
  });
}

export function visitToken(adt: AdtEvent): string | undefined {
  const id = visitIdentifier(adt);
  return id ? `${id.system}|${id.value}` : undefined;
}

/** Whether two versions of a resource say the same (their meta aside), whatever the order of keys. */
export function sameContent(a: object, b: object): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([k, v]) => k !== 'meta' && v !== undefined)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, v]) => [k, canonical(v)]),
          )
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Events that need the visit number to know which stay they are about. */
const NEEDS_VISIT: ReadonlySet<string> = new Set(['A01', 'A02', 'A03', 'A06', 'A07', 'A11', 'A13']);

/** Why a message cannot be applied without a coordinator, or undefined when the patient is certain. */
export function doubtAbout(adt: AdtEvent, found: AdtLookup): string | undefined {
  if (adt.event === 'A40') return 'A patient merge (A40) is applied by a coordinator from the feed review';
  return doubtAboutPatient({ family: adt.patient.family, birthDate: adt.patient.birthDate }, found);
}

export function planAdt(
  adt: AdtEvent,
  found: AdtLookup,
  newId: () => string,
  resolution?: AdtResolution,
  /** The organization that manages the patients a feed registers (its coordinators' panel). */
  feedOrganization?: string,
): AdtPlan {
  if (adt.event === 'A40') return { kind: 'review', reason: doubtAbout(adt, found) ?? '' };
  let distinct = distinctPatients(found.byIdentifier);
  if (!resolution) {
    const doubt = doubtAbout(adt, found);
    if (doubt) return { kind: 'review', reason: doubt };
  } else if ('link' in resolution) distinct = [resolution.link];
  else if (distinct.length > 0)
    // A new patient cannot take identifiers another patient holds: that is a link, or a wrong feed.
    return {
      kind: 'refuse',
      reason: 'Another patient holds these identifiers: link the message to that patient',
      segment: 'PID',
      field: 3,
    };
  let patient = distinct[0];
  const patientId = patient?.id ?? newId();
  const fromMessage = patientFromAdt(adt, patientId);
  if (!patient)
    patient = feedOrganization
      ? { ...fromMessage, managingOrganization: { reference: feedOrganization } }
      : fromMessage;
  else {
    // Known: identifiers it lacks are added; demographics change only with an update (A08, A04).
    const known = new Set((patient.identifier ?? []).map((i: Identifier) => `${i.system}|${i.value}`));
    const added = (fromMessage.identifier ?? []).filter((i) => !known.has(`${i.system}|${i.value}`));
    const update = adt.event === 'A08' || adt.event === 'A04';
    patient = {
      ...patient,
      ...(update ? { name: fromMessage.name, gender: fromMessage.gender, birthDate: fromMessage.birthDate } : {}),
      identifier: [...(patient.identifier ?? []), ...added],
    };
  }
  // A known patient the message does not change is not written again (no version for nothing).
  const entries: NonNullable<Bundle['entry']> =
    distinct[0] && sameContent(distinct[0], patient)
      ? []
      : [{ resource: patient, request: { method: 'PUT', url: `Patient/${patientId}` } }];
  let encounterId: string | undefined;
  if (adt.visit) {
    if (!visitIdentifier(adt) && NEEDS_VISIT.has(adt.event))
      return {
        kind: 'refuse',
        reason: 'PV1-19 (visit number) is required to follow a stay',
        segment: 'PV1',
        field: 19,
      };
    if (visitIdentifier(adt)) {
      encounterId = found.encounter?.id ?? newId();
      const encounter = encounterFromAdt(adt, encounterId, patientId, found.encounter);
      if (!found.encounter || !sameContent(found.encounter, encounter))
        entries.push({ resource: encounter, request: { method: 'PUT', url: `Encounter/${encounterId}` } });
    }
  }
  // Diagnoses of the stay and allergies of the patient, kept once each however often they are sent.
  const patientSystem = patient.identifier?.[0]?.system ?? 'http://careloop.org/fhir/sid/hl7v2';
  for (const e of [
    ...conditionsFromAdt(adt, patientId, encounterId),
    ...allergiesFromAdt(adt, patientId, patientSystem),
  ])
    entries.push({ resource: e.resource, request: { method: 'PUT', url: e.url } });
  return {
    kind: 'apply',
    bundle: { resourceType: 'Bundle', type: 'transaction', entry: entries },
    patientId,
    encounterId,
  };
}
