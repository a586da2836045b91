// The terminology the server ships: FHIR's own CodeSystems and ValueSets (from the official
// definitions, loaded on first use because they are large) and Careloop's own under content/terminology.
import { readdirSync, readFileSync } from 'node:fs';
import type { CodeSystem, ValueSet } from '@medplum/fhirtypes';
import { loadTerminologyResources } from '../definitions/load-definitions.js';
import { createTerminologyIndex, type TerminologyIndex } from './terminology-index.js';

const CONTENT_DIR = new URL('../../../content/terminology/', import.meta.url);

/** Careloop's own CodeSystems and ValueSets (content/terminology/*.json). */
export function loadCareloopTerminology(): (CodeSystem | ValueSet)[] {
  return readdirSync(CONTENT_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(new URL(f, CONTENT_DIR), 'utf8')) as CodeSystem | ValueSet);
}

let builtin: TerminologyIndex | undefined;

export function getBuiltinTerminology(): TerminologyIndex {
  builtin ??= createTerminologyIndex([...loadTerminologyResources(), ...loadCareloopTerminology()]);
  return builtin;
}
