// The lint rules that keep the layers of docs/architecture.md and the one wrapper per library are
// attacked here: each probe file is linted with the repository's own biome.json and plugin, in a
// scratch copy, and must be refused (or allowed) with the rule's message.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

const PROBES: readonly [file: string, source: string, refusal: RegExp | undefined][] = [
  ['src/fhir/probe.ts', "import { x } from '../store/store.js';", /src\/fhir may not import/],
  ['src/store/probe.ts', "import { x } from '../care/care-reader.js';", /src\/store may not import/],
  ['src/care/probe.ts', "import { x } from '../store/store.js';", /src\/care imports from src\/store only/],
  ['src/care/probe.ts', "import type { x } from '../store/care-api.js';", undefined],
  ['src/care/probe.ts', "import { x } from '../server/build-server.js';", /src\/care may not import/],
  ['src/access/probe.ts', "import { x } from '../server/build-server.js';", /src\/access may not import/],
  ['src/server/probe.ts', "import { x } from '../cli/main.js';", /src\/server may not import/],
  ['src/care/probe.ts', "import x from 'pg';", /wrapper in src\/store\/postgres\/postgres-database\.ts/],
  ['src/server/probe.ts', "export { SignJWT as x } from 'jose';", /wrapper in src\/access\/crypto\/tokens\.ts/],
  ['src/fhir/probe.ts', "import * as x from 'fhirpath/fhir-context/r4/index.js';", /wrapper in src\/fhir\/fhirpath/],
  ['src/store/postgres/postgres-database.ts', "import x from 'pg';", undefined],
  ['test/probe.ts', "import x from 'pg';", undefined],
  ['src/server/probe.ts', "import x from 'oidc-provider';", /wrapper in src\/access\/auth\/oidc\//],
  ['src/access/auth/oidc/probe.ts', "import x from 'oidc-provider';", undefined],
  [
    'src/server/probe.ts',
    "import { Hl7Message } from '@medplum/core';",
    /wrapper in src\/care\/feeds\/hl7v2\/hl7-message\.ts/,
  ],
  ['src/cli/probe.ts', "import { Hl7Client } from '@medplum/hl7';", /wrapper in src\/server\/mllp\/mllp-transport\.ts/],
  [
    'src/server/probe.ts',
    "import { convertXmlToCcda } from '@medplum/ccda';",
    /wrapper in src\/care\/feeds\/ccda\/ccda-codec\.ts/,
  ],
  [
    'src/care/probe.ts',
    "import { XMLValidator } from 'fast-xml-parser';",
    /wrapper in src\/care\/feeds\/ccda\/ccda-codec\.ts/,
  ],
  ['web/src/probe.ts', "import { x } from '../../src/fhir/outcome.js';", /web app talks to the server only over HTTP/],
  ['web/src/probe.ts', "import x from 'node:fs';", /web app talks to the server only over HTTP/],
  [
    'web/src/probe.ts',
    "import { useQuery as x } from '@tanstack/react-query';",
    /wrapper in web\/src\/api\/use-query\.ts/,
  ],
  ['web/src/api/use-query.ts', "import { useQuery as x } from '@tanstack/react-query';", undefined],
];

let root: { path: string; remove: () => void };
let config: string;
beforeAll(() => {
  root = makeTempDir('careloop-lint-');
  const own = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8')) as Record<string, unknown>;
  // A scratch copy is not a git checkout (no .gitignore to read) and lints whatever it is given.
  config = JSON.stringify({ ...own, vcs: { enabled: false }, files: undefined });
});
afterAll(() => root.remove());

it.each(PROBES.map((p, i) => [...p, i] as const))('%s: %s', async (file, source, refusal, i) => {
  const dir = join(root.path, `case-${i}`);
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), `${source}\nexport const used = [x];\n`);
  writeFileSync(join(dir, 'biome.json'), config);
  cpSync(join(ROOT, 'lint'), join(dir, 'lint'), { recursive: true });
  const output = await run(join(ROOT, 'node_modules', '.bin', 'biome'), ['lint', '--max-diagnostics=50', file], {
    cwd: dir,
  }).then(
    (r) => r.stdout + r.stderr,
    (err: { stdout: string; stderr: string }) => err.stdout + err.stderr,
  );
  if (refusal) expect(output).toMatch(refusal);
  else expect(output).not.toMatch(/noRestrictedImports|wrapper in|may not import|over HTTP/);
});
