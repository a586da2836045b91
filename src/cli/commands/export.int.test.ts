import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/support/shared-data.js';
import { makeTempDir } from '../../../test/support/temp-dir.js';
import { createTestDatabase } from '../../../test/support/test-database.js';

const run = promisify(execFile);
const dir = makeTempDir();
afterAll(() => dir.remove());

describe('careloop export', () => {
  it('writes one NDJSON file per resource type with every resource', async () => {
    const database = await createTestDatabase();
    const env = { ...process.env, CARELOOP_DB: database.url };
    await run('node', ['bin/careloop.mjs', 'import', sharedData('synthea')], { env });
    const out = join(dir.path, 'out');
    const { stdout } = await run('node', ['bin/careloop.mjs', 'export', out], { env });
    expect(stdout).toMatch(/Exported 2452 resources/);
    const files = readdirSync(out).sort();
    expect(files).toContain('Observation.ndjson');
    const lines = readFileSync(join(out, 'Observation.ndjson'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1366);
    expect(JSON.parse(lines[0] as string).resourceType).toBe('Observation');
    const patients = join(dir.path, 'patients');
    await run('node', ['bin/careloop.mjs', 'export', patients, '--type', 'Patient'], { env });
    expect(readdirSync(patients)).toEqual(['Patient.ndjson']);
    await expect(
      run('node', ['bin/careloop.mjs', 'export', patients, '--type', 'Nope'], { env }),
    ).rejects.toMatchObject({ code: 2 });
  });
});
