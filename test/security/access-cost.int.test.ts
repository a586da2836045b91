import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessFilterFor } from '../../src/access/policy/build-access-guard.js';
import { accessCondition } from '../../src/store/sql/build-search-sql.js';
import { openSqliteConnection } from '../../src/store/sqlite/sqlite-database.js';
import { writeLabelledObservations } from '../support/labelled-observations.js';
import { bearer, http, type TestServer } from '../support/test-server.js';
import { HAROLD, NADIA, startDemoServer, tokenOf } from './demo-server.js';

const GROWTH = 10_000;
let server: TestServer;

/** The visibility check a read by id runs for `username`, with the database's own parameter ids. */
async function visibilityQuery(username: string, id: string): Promise<{ sql: string; params: unknown[] }> {
  const token = await tokenOf(server, username);
  const auth = await server.access.authenticator.authenticate(token);
  if (!auth.ok) throw new Error(auth.reason);
  const filter = accessFilterFor(auth.principal, await server.access.decisions.get(auth.principal));
  const pids = new Map<string, number>();
  for (const row of await rows('SELECT pid, type, code FROM search_param', [])) {
    pids.set(`${row.type}.${row.code}`, Number(row.pid));
  }
  const condition = accessCondition(filter, 'r', {
    pid: (type, code) => pids.get(`${type}.${code}`) ?? -1,
    now: Date.now(),
    indexHasPatient: server.store.dialect === 'postgres',
    access: filter,
  });
  return {
    sql: `SELECT 1 AS x FROM resource r WHERE r.type = ? AND r.id = ? AND ${condition.sql}`,
    params: ['Observation', id, ...condition.params],
  };
}

async function rows(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  if (server.store.dialect === 'postgres') {
    const client = new pg.Client({ connectionString: server.databaseUrl });
    await client.connect();
    try {
      let n = 0;
      return (
        await client.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows;
    } finally {
      await client.end();
    }
  }
  const db = openSqliteConnection(server.databaseUrl);
  try {
    return db.prepare(sql).all(...params) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Actual Loops': number;
  readonly 'Shared Hit Blocks': number;
  readonly 'Shared Read Blocks': number;
  readonly Plans?: readonly PlanNode[];
}

/**
 * Pages PostgreSQL touched to answer the query (deterministic, unlike its time), and how many index
 * probes it made: a B-tree that gains a level as the table grows costs one more page per probe.
 */
async function pagesTouched(query: { sql: string; params: unknown[] }): Promise<{ pages: number; probes: number }> {
  const [row] = await rows(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query.sql}`, query.params);
  const root = ((row?.['QUERY PLAN'] ?? []) as { Plan: PlanNode }[])[0]?.Plan;
  if (!root) throw new Error('no plan');
  const probes = (n: PlanNode): number =>
    (n['Node Type'].startsWith('Index') ? n['Actual Loops'] : 0) + (n.Plans ?? []).reduce((a, c) => a + probes(c), 0);
  return { pages: root['Shared Hit Blocks'] + root['Shared Read Blocks'], probes: probes(root) };
}

async function firstObservation(patient: string): Promise<string> {
  const res = await http<{ entry: { resource: { id: string } }[] }>(
    'GET',
    `${server.fhir}/Observation?patient=${patient}&_count=1&_elements=id`,
  );
  const id = res.body.entry[0]?.resource.id;
  if (!id) throw new Error(`no observation of ${patient}`);
  return id;
}

/** Observations `from` .. `to` - 1 of `patient`, half labelled PSY: the hidden-label check must not walk them either. */
const growRecord = (patient: string, from: number, to: number) =>
  writeLabelledObservations(server.store, patient, { from, to, idPrefix: 'cost-obs' });

beforeAll(async () => {
  server = await startDemoServer();
}, 120_000);
afterAll(async () => server?.close());

describe('access decisions as a permitted record grows', () => {
  it('probes the row at hand: no subquery over the panel or over every labelled row (SQLite plan)', async () => {
    if (server.store.dialect !== 'sqlite') return;
    const query = visibilityQuery('coordinator', await firstObservation(HAROLD));
    const { sql, params } = await query;
    const plan = (await rows(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => String(r.detail));
    // A LIST SUBQUERY is evaluated once into a set: what the check used to build from the panel.
    expect(plan.filter((line) => line.startsWith('LIST SUBQUERY'))).toEqual([expect.any(String)]);
    const setOf = plan.findIndex((line) => line.startsWith('LIST SUBQUERY'));
    // ... the only one left is the handful of `_security` parameter ids.
    expect(plan[setOf + 1]).toMatch(/^SCAN search_param/);
    for (const line of plan.filter((l) => /\b(compartment|sp_token|sp_reference)\b/.test(l))) {
      expect(line).toMatch(/^SEARCH \w+ USING .*\brid=\?/);
    }
  });

  it(`touches the same pages with ${GROWTH.toLocaleString('en-US')} more observations on the panel (PostgreSQL)`, async () => {
    if (server.store.dialect !== 'postgres') return;
    // Harold is on her care teams; Nadia is reached through the organization's panel.
    await growRecord(NADIA, 0, 1);
    const harold = await visibilityQuery('coordinator', await firstObservation(HAROLD));
    const nadia = await visibilityQuery('coordinator', await firstObservation(NADIA));
    const before = [await pagesTouched(harold), await pagesTouched(nadia)];
    await growRecord(NADIA, 1, GROWTH);
    const after = [await pagesTouched(harold), await pagesTouched(nadia)];
    // A B-tree may gain a level as it grows: a page more per probe, never one per record.
    for (const [i, { pages, probes }] of after.entries()) {
      expect(pages).toBeLessThanOrEqual((before[i]?.pages ?? 0) + probes);
    }
  }, 180_000);

  it('keeps no value samples after ANALYZE, so statements are not compiled twice (SQLite)', async () => {
    if (server.store.dialect !== 'sqlite') return;
    await growRecord(NADIA, 0, 5_000);
    const [samples] = await rows('SELECT COUNT(*) AS n FROM sqlite_stat4', []);
    const [averages] = await rows('SELECT COUNT(*) AS n FROM sqlite_stat1', []);
    expect(Number(samples?.n)).toBe(0);
    expect(Number(averages?.n)).toBeGreaterThan(0);
  }, 120_000);

  it('still answers: the coordinator reads her panel and not the hidden label', async () => {
    const token = bearer(await tokenOf(server, 'coordinator'));
    const read = await http('GET', `${server.fhir}/Observation/${await firstObservation(HAROLD)}`, undefined, token);
    expect(read.status).toBe(200);
    const labelled = await http<{ total?: number; entry?: unknown[] }>(
      'GET',
      `${server.fhir}/Observation?patient=${NADIA}&_security=http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY&_count=1`,
      undefined,
      token,
    );
    expect(labelled.status).toBe(200);
    expect(labelled.body.entry ?? []).toHaveLength(0);
  });
});
