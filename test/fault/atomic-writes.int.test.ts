// Atomic on PostgreSQL as on SQLite: the uniqueness rules hold when 20 requests race, on one server
// and on two servers in front of one database; servers starting together install the content once;
// a server that cannot start says so and exits; an audit log someone has locked fails requests
// closed in bounded time instead of hanging them.
import { type ChildProcess, spawn } from 'node:child_process';
import type { Appointment, Bundle, Patient } from '@medplum/fhirtypes';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { freePort } from '../support/spawn-server.js';
import { TEST_SECRET } from '../support/test-auth.js';
import { createTestDatabase, testDatabaseKind } from '../support/test-database.js';
import { http, startTestServer, startTestServers, type TestServer } from '../support/test-server.js';

const postgres = testDatabaseKind() === 'postgres';
const RACERS = 20;

/** The rules every layout must keep, given the servers requests are spread over. */
function raceSuite(label: string, start: () => Promise<TestServer[]>) {
  describe(label, () => {
    let servers: TestServer[] = [];
    beforeAll(async () => {
      servers = await start();
    });
    afterAll(async () => {
      for (const s of servers) await s.close();
    });
    const on = (i: number) => servers[i % servers.length] as TestServer;
    const count = async (query: string) =>
      (await http<Bundle>('GET', `${on(0).fhir}/${query}&_summary=count`)).body.total;

    it(`conditional create: ${RACERS} racing requests create exactly one resource`, async () => {
      const identifier = `race-${Date.now()}`;
      const results = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          http<Patient>(
            'POST',
            `${on(i).fhir}/Patient`,
            { resourceType: 'Patient', identifier: [{ system: 'urn:race', value: identifier }] },
            { 'if-none-exist': `identifier=urn:race|${identifier}` },
          ),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 200)).toHaveLength(RACERS - 1);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(await count(`Patient?identifier=urn:race|${identifier}`)).toBe(1);
    });

    it(`conditional update: ${RACERS} racing requests create one resource and update it`, async () => {
      const identifier = `upsert-${Date.now()}`;
      const results = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          http<Patient>('PUT', `${on(i).fhir}/Patient?identifier=urn:race|${identifier}`, {
            resourceType: 'Patient',
            identifier: [{ system: 'urn:race', value: identifier }],
            name: [{ family: `Upsert${i}` }],
          }),
        ),
      );
      expect(results.every((r) => r.status === 200 || r.status === 201)).toBe(true);
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(await count(`Patient?identifier=urn:race|${identifier}`)).toBe(1);
    });

    it(`a patient cannot be booked into overlapping appointments by ${RACERS} racing requests`, async () => {
      const patient = await http<Patient>('POST', `${on(0).fhir}/Patient`, { resourceType: 'Patient' });
      const start = Date.parse('2031-03-04T09:00:00Z');
      const results = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          http<Appointment>('POST', `${on(i).fhir}/Appointment`, {
            resourceType: 'Appointment',
            status: 'booked',
            // Each overlaps every other (they all cover 09:30).
            start: new Date(start + i * 60_000).toISOString(),
            end: new Date(start + 60 * 60_000 + i * 60_000).toISOString(),
            participant: [{ actor: { reference: `Patient/${patient.body.id}` }, status: 'accepted' }],
          }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(RACERS - 1);
      expect(await count(`Appointment?patient=Patient/${patient.body.id}`)).toBe(1);
    });
  });
}

raceSuite('one server', async () => [await startTestServer()]);
describe.skipIf(!postgres)('PostgreSQL', () => {
  raceSuite('two servers on one database', () => startTestServers(2));
});

/** Runs `careloop serve` and resolves when it listens or exits. */
function serve(env: Record<string, string>, port: number): { child: ChildProcess; done: Promise<string> } {
  const child = spawn('node', ['bin/careloop.mjs', 'serve'], {
    env: { ...process.env, CARELOOP_SECRET: TEST_SECRET, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const done = new Promise<string>((resolve) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('listening on')) resolve(`listening\n${output}`);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => resolve(`exit ${code}\n${output}`));
  });
  return { child, done };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('starting', () => {
  it.skipIf(!postgres)(
    'two servers starting together on a new database install the content and the demo once; a third starts later',
    async () => {
      const database = await createTestDatabase();
      const env = { CARELOOP_DB: database.url, CARELOOP_DEMO: '1', CARELOOP_KEY_FILE: '/dev/null' };
      const started = [serve(env, await freePort()), serve(env, await freePort())];
      try {
        const outcomes = await Promise.all(started.map((s) => s.done));
        for (const o of outcomes) expect(o).toMatch(/^listening/);
        const third = serve(env, await freePort());
        started.push(third);
        expect(await third.done).toMatch(/^listening/);
        const store = await openStore(database.url);
        try {
          const counts = await store.countByType();
          const { request } = (await import('../../src/fhir/search/parse-search-request.js')).parseSearchRequest(
            'Questionnaire',
            [['_count', '1000']],
          );
          const questionnaires = (await store.search(request)).matches.map((m) => {
            const q = JSON.parse(m.json as string) as { url: string; version: string };
            return `${q.url}|${q.version}`;
          });
          expect(questionnaires.length).toBeGreaterThan(0);
          expect(new Set(questionnaires).size).toBe(questionnaires.length);
          expect(counts.Patient).toBe(7);
          expect((await store.accounts.listAccounts()).filter((a) => a.username === 'coordinator')).toHaveLength(1);
        } finally {
          await store.close();
        }
      } finally {
        for (const s of started) await stop(s.child);
        await database.drop();
      }
    },
    120_000,
  );

  it('a server that cannot reach its database exits with a clear message and status 1', async () => {
    const unreachable = postgres ? 'postgres://postgres@127.0.0.1:1/nowhere' : '/etc/passwd/careloop.db';
    const { done } = serve({ CARELOOP_DB: unreachable, CARELOOP_DEMO: '0' }, await freePort());
    const outcome = await done;
    expect(outcome).toMatch(/^exit 1/);
    expect(outcome).toContain('Careloop could not start: opening the database');
  }, 60_000);

  it.skipIf(!postgres)(
    'a server held up at start (another holds the migration lock) gives up after CARELOOP_STARTUP_TIMEOUT',
    async () => {
      const database = await createTestDatabase();
      const holder = new pg.Client({ connectionString: database.url });
      await holder.connect();
      await holder.query('SELECT pg_advisory_lock(4213370001)');
      try {
        const { done } = serve(
          {
            CARELOOP_DB: database.url,
            CARELOOP_DEMO: '0',
            CARELOOP_STARTUP_TIMEOUT: '3',
            CARELOOP_KEY_FILE: '/dev/null',
          },
          await freePort(),
        );
        const began = Date.now();
        const outcome = await done;
        expect(outcome).toMatch(/^exit 1/);
        expect(outcome).toContain('CARELOOP_STARTUP_TIMEOUT');
        expect(Date.now() - began).toBeLessThan(30_000);
      } finally {
        await holder.end();
        await database.drop();
      }
    },
    60_000,
  );
});

describe.skipIf(!postgres)('an audit log locked by someone else', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('fails reads and writes closed within seconds (503, Retry-After), and recovers', async () => {
    const holder = new pg.Client({ connectionString: server.databaseUrl });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE');
    try {
      const began = Date.now();
      const [read, write] = await Promise.all([
        http('GET', `${server.fhir}/Patient`),
        http('POST', `${server.fhir}/Basic`, { resourceType: 'Basic', code: { text: 'during the lock' } }),
      ]);
      expect(Date.now() - began).toBeLessThan(20_000);
      for (const res of [read, write]) {
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBeTruthy();
        expect(res.body).toMatchObject({ resourceType: 'OperationOutcome' });
      }
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    const none = await http<Bundle>('GET', `${server.fhir}/Basic?code:text=during&_summary=count`);
    expect(none.body.total).toBe(0);
    expect((await http('GET', `${server.fhir}/Patient`)).status).toBe(200);
  }, 60_000);
});
