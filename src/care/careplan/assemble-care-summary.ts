// What a team member needs on opening a patient, as one Bundle (type collection): demographics and
// preferences (the Patient), the care team with its members, the active care plan with its goals,
// open concerns and the needs profile, current medications, open tasks and referrals, upcoming
// appointments, the latest result of each assessment and the current transition episode. Pure: the
// parts are fetched by the caller with the requester's own access.
import type { Bundle, Parameters, Resource } from '@medplum/fhirtypes';

export interface CareSummaryParts {
  readonly patient: Resource;
  readonly sections: Readonly<Record<string, readonly Resource[]>>;
  readonly needs: Parameters;
  /** ISO instant. */
  readonly now: string;
  readonly baseUrl: string;
}

/** The summary's sections, in the order their entries appear. */
export const SUMMARY_SECTIONS = [
  'careTeam',
  'members',
  'carePlan',
  'goals',
  'concerns',
  'medications',
  'tasks',
  'referrals',
  'appointments',
  'assessments',
  'episode',
] as const;

export function assembleCareSummary(parts: CareSummaryParts): Bundle {
  const seen = new Set<string>();
  const entry: NonNullable<Bundle['entry']> = [];
  const add = (resource: Resource, section: string) => {
    const key = `${resource.resourceType}/${resource.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    entry.push({
      fullUrl: `${parts.baseUrl}/${key}`,
      resource,
      // Which part of the summary the entry belongs to (R4 has no section element on a collection).
      extension: [{ url: 'http://careloop.org/fhir/StructureDefinition/care-summary-section', valueCode: section }],
    } as NonNullable<Bundle['entry']>[number]);
  };
  add(parts.patient, 'patient');
  for (const section of SUMMARY_SECTIONS) for (const r of parts.sections[section] ?? []) add(r, section);
  entry.push({
    resource: parts.needs,
    extension: [{ url: 'http://careloop.org/fhir/StructureDefinition/care-summary-section', valueCode: 'needs' }],
  } as NonNullable<Bundle['entry']>[number]);
  return { resourceType: 'Bundle', type: 'collection', timestamp: parts.now, entry };
}
