// Which patients' compartments a resource belongs to, per the R4 patient CompartmentDefinition: the
// Patient itself, and any resource whose listed reference parameters point at a Patient. The first
// patient found is the resource's distribution key.
import { getR4Definitions } from '../definitions/r4-definitions.js';
import type { ResourceIndex } from '../search/extract-index.js';
import { getSearchParameterRegistry } from '../search/search-parameter-registry.js';

/** The search parameters that put a resource type in a patient's compartment (empty if none). */
export function patientCompartmentParams(resourceType: string): readonly string[] {
  return getR4Definitions().patientCompartment[resourceType] ?? [];
}

export function patientCompartmentsOf(resource: { resourceType: string; id?: string }, index: ResourceIndex): string[] {
  const ids: string[] = [];
  if (resource.resourceType === 'Patient' && resource.id) ids.push(resource.id);
  const registry = getSearchParameterRegistry();
  for (const code of patientCompartmentParams(resource.resourceType)) {
    // An alias (e.g. `patient` for `subject` to a Patient) has no rows of its own: read its base's.
    const param = registry.get(resource.resourceType, code);
    const sources = param?.alias ? param.alias.codes : [code];
    for (const ref of index.references) {
      if (sources.includes(ref.param) && ref.targetType === 'Patient' && !ids.includes(ref.targetId))
        ids.push(ref.targetId);
    }
  }
  return ids;
}
