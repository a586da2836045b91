// `careloop backup` takes a consistent copy while the server runs and writes; the copy holds the
// same resources, versions and counts.
import { execFile, spawn } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { sharedData } from '../support/shared-data.js';
import { freePort, spawnServer } from '../support/spawn-server.js';
import { makeTempDir } from '../support/temp-dir.js';
import { TEST_SECRET } from '../support/test-auth.js';

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
    // The commands run with the server's secret, as an operator's would.
    const env = { ...process.env, CARELOOP_DB: join(dir.path, 'live.db'), CARELOOP_SECRET: TEST_SECRET };
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

describe('a restore from a backup', () => {
  it('works as the README says: CARELOOP_DB pointed at the copy, the originals gone', async () => {
    const original = join(dir.path, 'original.db');
    // A deployment with its key file (no CARELOOP_SECRET): the backup must carry the key.
    const { CARELOOP_SECRET: _unset, ...base } = process.env;
    const env = { ...base, CARELOOP_DB: original, CARELOOP_AUDIT_ANCHOR: '' };
    await run('node', ['bin/careloop.mjs', 'import', sharedData('synthea')], { env });
    await run(
      'node',
      [
        'bin/careloop.mjs',
        'user',
        'add',
        '--username',
        'keeper',
        '--password',
        'a-long-enough-password',
        '--role',
        'system',
      ],
      { env },
    );
    await run('node', ['bin/careloop.mjs', 'audit', 'checkpoint'], { env });
    const copy = join(dir.path, 'restored', 'copy.db');
    const { stdout } = await run('node', ['bin/careloop.mjs', 'backup', copy], { env });
    expect(stdout).toContain(`${copy}.key`);
    for (const f of [copy, `${copy}-audit`, `${copy}.key`, `${copy}.audit-anchor`]) expect(existsSync(f), f).toBe(true);
    expect(statSync(`${copy}.key`).mode & 0o077).toBe(0);
    const before = await patientCount(original);
    for (const suffix of ['', '-audit', '-wal', '-shm', '-audit-wal', '-audit-shm', '.key', '.audit-anchor'])
      rmSync(`${original}${suffix}`, { force: true });

    const restoredEnv = { ...base, CARELOOP_DB: copy };
    const verified = await run('node', ['bin/careloop.mjs', 'audit', 'verify'], { env: restoredEnv });
    expect(verified.stdout).toMatch(/Audit log intact: \d+ entries, [1-9]\d* checkpoints matched/);
    const port = await freePort();
    const child = spawn('node', ['bin/careloop.mjs', 'serve'], {
      env: { ...restoredEnv, CARELOOP_DEMO: '0', PORT: String(port), HOST: '127.0.0.1' },
      stdio: 'ignore',
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 300; i++) {
        if (
          await fetch(`${url}/healthz`).then(
            (r) => r.ok,
            () => false,
          )
        )
          break;
        await new Promise((r) => setTimeout(r, 100));
      }
      // The sealed token-signing key opens with the restored key file: sign-in works.
      const login = await fetch(`${url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'keeper', password: 'a-long-enough-password' }),
      });
      expect(login.status).toBe(200);
      const { access_token } = (await login.json()) as { access_token: string };
      const res = await fetch(`${url}/fhir/Patient?_summary=count`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      expect(((await res.json()) as { total: number }).total).toBe(before);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }, 120_000);
});

async function patientCount(database: string): Promise<number> {
  const store = openSqliteStore(database);
  try {
    return (await store.countByType()).Patient ?? 0;
  } finally {
    await store.close();
  }
}
