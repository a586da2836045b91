// What Careloop already holds about an ADT message's patient and stay, read with system access
// (a feed acts for the hospital, not for a user): patients by the message's identifiers, then — only
// to doubt a stranger — by name and birth date, and the stay by its visit number. A patient retired
// by a merge (inactive, `replaced-by`) is nobody's match: its survivor holds its identifiers.
import type { Encounter, Patient } from '@medplum/fhirtypes';
import { type AdtLookup, patientTokens, visitToken } from '../../care/feeds/hl7v2/plan-adt.js';
import type { AdtEvent } from '../../care/feeds/hl7v2/read-adt.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';

export const resourcesOf = <T>(page: { matches: readonly { json: string | undefined }[] }): T[] =>
  page.matches.flatMap((m) => (m.json ? [JSON.parse(m.json) as T] : []));

const isRetired = (p: Patient) => p.active === false && (p.link ?? []).some((l) => l.type === 'replaced-by');

/** Current patients holding any of these identifier tokens (`system|value`). */
export async function patientsWithIdentifiers(
  repository: FhirRepository,
  tokens: readonly string[],
): Promise<Patient[]> {
  if (tokens.length === 0) return [];
  const found = resourcesOf<Patient>((await repository.search('Patient', [['identifier', tokens.join(',')]])).page);
  return found.filter((p) => !isRetired(p));
}

export async function lookUpAdt(repository: FhirRepository, adt: AdtEvent): Promise<AdtLookup> {
  const byIdentifier = await patientsWithIdentifiers(repository, patientTokens(adt));
  const { family, given, birthDate } = adt.patient;
  // Demographics only matter when no identifier matched (planAdt doubts a stranger by them).
  const byDemographics =
    byIdentifier.length === 0 && family && given[0] && birthDate
      ? resourcesOf<Patient>(
          (
            await repository.search('Patient', [
              ['family:exact', family],
              ['given:exact', given[0]],
              ['birthdate', birthDate],
            ])
          ).page,
        ).filter((p) => !isRetired(p))
      : [];
  const visit = visitToken(adt);
  const encounter = visit
    ? resourcesOf<Encounter>((await repository.search('Encounter', [['identifier', visit]])).page)[0]
    : undefined;
  return { byIdentifier, byDemographics, encounter };
}
