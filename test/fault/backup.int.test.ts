// `careloop backup` takes a consistent copy while the server runs and writes; the copy holds the
// same resources, versions and counts.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { sharedData } from '../support/shared-data.js';
import { spawnServer } from '../support/spawn-server.js';
import { makeTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const dir = makeTempDir();
afterAll(() => dir.remove());

async function snapshot(store: Store): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const type of Object.keys(await store.countByType())) {
    for await (const v of store.scan({ resourceType: type, includeDeleted: true }))
      out.set(`${type}/${v.id}`, `${v.versionId}:${v.json}`);
  }
  return out;
}

describe('careloop backup', () => {
  it('copies a live database consistently', async () => {
    const env = { ...process.env, CARELOOP_DB: join(dir.path, 'live.db') };
    await run('node', ['bin/careloop.mjs', 'import', sharedData('synthea')], { env });
    const server = await spawnServer({ CARELOOP_DB: env.CARELOOP_DB });
    let writing = true;
    const load = (async () => {
      for (let i = 0; writing; i++) {
        await server.fetch(`${server.url}/fhir/Patient`, {
          method: 'POST',
          headers: { 'content-type': 'application/fhir+json' },
          body: JSON.stringify({ resourceType: 'Patient', name: [{ family: `Backup${i}` }] }),
        });
      }
    })();
    try {
      const during = join(dir.path, 'during.db');
      const { stdout } = await run('node', ['bin/careloop.mjs', 'backup', during], { env });
      expect(stdout).toMatch(/Backed up \d+ resources/);
      const copy = openSqliteStore(during);
      const counts = await copy.countByType();
      expect(counts.Observation).toBe(1366);
      expect(counts.Patient).toBeGreaterThanOrEqual(7);
      await copy.close();
    } finally {
      writing = false;
      await load;
      await server.stop();
    }
    const quiet = join(dir.path, 'quiet.db');
    await run('node', ['bin/careloop.mjs', 'backup', quiet], { env });
    const live = openSqliteStore(env.CARELOOP_DB);
    const copy = openSqliteStore(quiet);
    expect(await copy.countByType()).toEqual(await live.countByType());
    expect(await snapshot(copy)).toEqual(await snapshot(live));
    await copy.close();
    await live.close();
  });
});
