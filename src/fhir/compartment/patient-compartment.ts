// Which patients' compartments a resource belongs to, per the R4 patient CompartmentDefinition: the
// Patient itself, and any resource whose listed reference parameters point at a Patient. A resource
// of a type the definition leaves out (Binary, Device, Contract, ...) that names a patient anywhere —
// Binary.securityContext, Device.patient, any reference — is in that patient's record all the same:
// whatever names a patient is under that patient's access rules. The first patient found is the
// resource's distribution key.
import { getR4Definitions } from '../definitions/r4-definitions.js';
import type { ResourceIndex } from '../search/extract-index.js';
import { getSearchParameterRegistry } from '../search/search-parameter-registry.js';

/** The search parameters that put a resource type in a patient's compartment (empty if none). */
export function patientCompartmentParams(resourceType: string): readonly string[] {
  return getR4Definitions().patientCompartment[resourceType] ?? [];
}

const PATIENT_REFERENCE = /^Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/** Every patient a resource names in a (relative) reference, anywhere in it, contained resources included. */
export function referencedPatients(resource: unknown): string[] {
  const ids: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) walk(v);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'reference' && typeof v === 'string') {
          const id = PATIENT_REFERENCE.exec(v)?.[1];
          if (id && !ids.includes(id)) ids.push(id);
        } else if (typeof v === 'object') walk(v);
      }
    }
  };
  walk(resource);
  return ids;
}

export function patientCompartmentsOf(resource: { resourceType: string; id?: string }, index: ResourceIndex): string[] {
  const ids: string[] = [];
  if (resource.resourceType === 'Patient' && resource.id) ids.push(resource.id);
  const params = patientCompartmentParams(resource.resourceType);
  if (params.length === 0 && resource.resourceType !== 'Patient') return referencedPatients(resource);
  const registry = getSearchParameterRegistry();
  for (const code of params) {
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
