// A full disk answers 503 with Retry-After, never 500; each 5xx is logged with its request id and
// without health data; and once space is freed the server goes on without a restart. The disk is a
// real one that fills: a small tmpfs holding the embedded database, or a PostgreSQL tablespace.
// Mounting needs root (as on CI); elsewhere the test is skipped, saying why.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { makeTempDir } from '../support/temp-dir.js';
import { DEFAULT_PG_ADMIN_URL, testDatabaseKind } from '../support/test-database.js';
import { http, startTestServer, type TestServer } from '../support/test-server.js';

const postgres = testDatabaseKind() === 'postgres';
const dir = makeTempDir();
const disk = join(dir.path, 'disk');
let mounted = false;
try {
  mkdirSync(disk, { recursive: true });
  // PostgreSQL (another user) reaches its tablespace through these folders.
  chmodSync(dir.path, 0o755);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${postgres ? 24 : 8}m,mode=0755`, 'tmpfs', disk], {
    stdio: 'ignore',
  });
  mounted = true;
} catch (err) {
  console.warn(`full-disk test skipped: mounting a tmpfs needs root (${(err as Error).message})`);
}

const adminUrl = (): string => {
  const v = process.env.CARELOOP_TEST_DB ?? '';
  return v.startsWith('postgres') && v.includes('://') ? v : DEFAULT_PG_ADMIN_URL;
};
const name = `careloop_full_${process.pid}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.runIf(mounted)('a full disk', () => {
  let server: TestServer;
  const log: string[] = [];
  let filler = 0;

  beforeAll(async () => {
    let url: string;
    if (postgres) {
      // The tablespace fills; the write-ahead log stays on the server's own disk.
      const space = join(disk, 'pg');
      mkdirSync(space);
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(space, uid, uid);
      await admin(`CREATE TABLESPACE ${name} LOCATION '${space}'`);
      await admin(`CREATE DATABASE ${name} TABLESPACE ${name}`);
      const u = new URL(adminUrl());
      u.pathname = `/${name}`;
      url = u.toString();
    } else url = join(disk, 'careloop.db');
    server = await startTestServer({
      openStore: () => openStore(url),
      logStream: { write: (line) => log.push(line) },
    });
  });
  afterAll(async () => {
    await server?.close();
    if (postgres) {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin(`DROP TABLESPACE IF EXISTS ${name}`).catch(() => undefined);
    }
    try {
      execFileSync('umount', [disk], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    dir.remove();
  });

  /** Fills what is left of the disk with files of `chunk` bytes. */
  function fill(chunk: number): void {
    for (;;) {
      try {
        writeFileSync(join(disk, `filler-${filler++}`), Buffer.alloc(chunk, 1));
      } catch {
        return;
      }
    }
  }

  it('answers 503 with Retry-After, logs each by request id without health data, and recovers', async () => {
    const patient = (i: number) => ({
      resourceType: 'Patient',
      name: [{ family: 'Fulldiskmarker', given: [`Given${i}`] }],
      // Large enough that each write needs new pages of its own.
      text: {
        status: 'generated',
        div: `<div xmlns="http://www.w3.org/1999/xhtml">${'Fulldiskmarker '.repeat(4000)}</div>`,
      },
    });
    expect((await http('POST', `${server.fhir}/Patient`, patient(0))).status).toBe(201);
    fill(1 << 20);
    fill(4096);
    fill(1);
    const statuses: number[] = [];
    let unavailable: Awaited<ReturnType<typeof http>> | undefined;
    for (let i = 1; i <= 60 && !unavailable; i++) {
      const res = await http('POST', `${server.fhir}/Patient`, patient(i));
      statuses.push(res.status);
      if (res.status === 503) unavailable = res;
    }
    expect(statuses).not.toContain(500);
    expect(unavailable, `statuses: ${statuses.join(' ')}`).toBeDefined();
    expect(unavailable?.headers.get('retry-after')).toBeTruthy();
    expect(unavailable?.text).toMatch(/OperationOutcome/);
    const requestId = unavailable?.headers.get('x-request-id') ?? '';
    expect(requestId).not.toBe('');
    const logged = log.filter((l) => l.includes(requestId));
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('\n')).toMatch(/"status":503/);
    expect(log.join('\n')).not.toMatch(/Fulldiskmarker|Given\d/);

    // Space freed: the same server writes again.
    rmSync(join(disk, 'filler-0'), { force: true });
    for (let i = 1; i < filler; i++) rmSync(join(disk, `filler-${i}`), { force: true });
    let after = 0;
    for (let i = 0; i < 20 && after !== 201; i++) {
      after = (await http('POST', `${server.fhir}/Patient`, { resourceType: 'Patient', name: [{ family: 'After' }] }))
        .status;
      if (after !== 201) await new Promise((r) => setTimeout(r, 200));
    }
    expect(after).toBe(201);
  }, 120_000);
});
