// `npm run bench`: import rate, search latency and HTTP throughput on this machine. Prints a table
// and writes bench/results.json. A benchmark, not a test: it measures, it does not assert.
//
//   npm run bench                      the embedded database (about three minutes)
//   npm run bench -- --db postgres     the same on PostgreSQL too, side by side, plus two servers
//   npm run bench -- --quick           smaller data and shorter load, to check that the bench works
//   npm run bench -- --section access  one section only (import, search, http, access, feeds); results not saved
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { drugKnowledge } from '../src/care/medrec/drug-knowledge.js';
import { type MedicationEntry, reconcileMedications } from '../src/care/medrec/reconcile-medications.js';
import { buildSearchset } from '../src/fhir/bundle/searchset.js';
import { openStore } from '../src/store/open-store.js';
import { createFhirRepository, type FhirRepository } from '../src/store/repository/create-fhir-repository.js';
import { writeLabelledObservations } from '../test/support/labelled-observations.js';
import { openRawMllp, sendRawMllp } from '../test/support/raw-mllp.js';
import { sharedData } from '../test/support/shared-data.js';
import { freePort, spawnServer } from '../test/support/spawn-server.js';
import { makeTempDir } from '../test/support/temp-dir.js';
import { createPostgresDatabase } from '../test/support/test-database.js';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
const withPostgres = process.argv.includes('postgres') || process.argv.includes('--db=postgres');
const sectionArg = process.argv.indexOf('--section');
const only = sectionArg >= 0 ? process.argv[sectionArg + 1] : undefined;
const tmp = makeTempDir('careloop-bench-');
const synthea = sharedData('synthea');

interface Row {
  readonly db?: 'sqlite' | 'postgres';
  readonly section: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
  readonly note?: string;
}
const rows: Row[] = [];
let currentDb: 'sqlite' | 'postgres' = 'sqlite';
const add = (input: Row): void => {
  const row = { db: currentDb, ...input };
  rows.push(row);
  console.log(`  ${row.metric}: ${row.value.toLocaleString('en-US')} ${row.unit}${row.note ? ` (${row.note})` : ''}`);
};

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

/** The ceiling: the same JSON inserted into one table in batched transactions with raw better-sqlite3. */
function rawInsertRate(): number {
  const jsons = readdirSync(synthea).flatMap((f) =>
    (JSON.parse(readFileSync(join(synthea, f), 'utf8')) as { entry: { resource: unknown }[] }).entry.map((e) =>
      JSON.stringify(e.resource),
    ),
  );
  const path = join(tmp.path, 'raw.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE r (id INTEGER PRIMARY KEY, content TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO r (content) VALUES (?)');
  const batch = db.transaction((items: string[]) => {
    for (const j of items) insert.run(j);
  });
  const started = performance.now();
  let n = 0;
  for (let k = 0; k < 20; k++) {
    batch(jsons);
    n += jsons.length;
  }
  const rate = n / ((performance.now() - started) / 1000);
  db.close();
  return Math.round(rate);
}

async function importCli(
  database: string,
  copies: number,
): Promise<{ resources: number; seconds: number; wall: number }> {
  const started = performance.now();
  const { stdout } = await run('node', ['bin/careloop.mjs', 'import', ...Array(copies).fill(synthea)], {
    env: { ...process.env, CARELOOP_DB: database },
    maxBuffer: 1 << 24,
  });
  const wall = (performance.now() - started) / 1000;
  const m = /Imported ([\d,]+) resources .* in ([\d.]+) s/.exec(stdout);
  if (!m) throw new Error(`unexpected import output: ${stdout}`);
  return { resources: Number((m[1] as string).replace(/,/g, '')), seconds: Number(m[2]), wall };
}

/** Tasks for the worklist query (Synthea has none): owners, statuses and due dates. */
async function seedTasks(
  repo: FhirRepository,
  practitioners: readonly string[],
  patients: readonly string[],
  count: number,
): Promise<void> {
  const statuses = ['requested', 'accepted', 'in-progress', 'completed', 'cancelled'] as const;
  const entries = Array.from({ length: count }, (_, i) => {
    const due = new Date(Date.UTC(2026, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
    return {
      resource: {
        resourceType: 'Task',
        status: statuses[i % statuses.length],
        intent: 'order',
        priority: (['routine', 'urgent', 'asap', 'stat'] as const)[i % 4],
        for: { reference: `Patient/${patients[i % patients.length]}` },
        owner: { reference: `Practitioner/${practitioners[i % practitioners.length]}` },
        executionPeriod: { start: due, end: due },
        description: 'Follow-up call',
      },
      request: { method: 'POST' as const, url: 'Task' },
    };
  });
  for (let i = 0; i < entries.length; i += 500) {
    await repo.processBundle(
      { resourceType: 'Bundle', type: 'transaction', entry: entries.slice(i, i + 500) } as never,
      '',
    );
  }
}

async function searchLatencies(repo: FhirRepository): Promise<void> {
  const ids = async (type: string, count: number): Promise<{ id: string; json: string }[]> =>
    (await repo.search(type, [['_count', String(count)]])).page.matches.map((m) => ({
      id: m.id,
      json: m.json as string,
    }));
  const patients = await ids('Patient', 200);
  const families = patients.map((p) =>
    ((JSON.parse(p.json) as { name?: { family?: string }[] }).name?.[0]?.family ?? 'a').slice(0, 4),
  );
  const practitioners = (await ids('Practitioner', 200)).map((p) => p.id);
  const codes = [
    'http://loinc.org|8302-2',
    'http://loinc.org|29463-7',
    'http://loinc.org|8867-4',
    'http://loinc.org|72514-3',
  ];
  const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;
  const queries: [string, string, (i: number) => [string, string][]][] = [
    ['patient by name', 'Patient', (i) => [['name', pick(families, i)]]],
    [
      'observations by patient and code',
      'Observation',
      (i) => [
        ['patient', pick(patients, i).id],
        ['code', pick(codes, i)],
      ],
    ],
    [
      'tasks by owner and status, sorted by due date',
      'Task',
      (i) => [
        ['owner', `Practitioner/${pick(practitioners, i)}`],
        ['status', 'requested'],
        ['_sort', 'period'],
      ],
    ],
    [
      'encounters by date range (one month)',
      'Encounter',
      (i) => {
        const month = new Date(Date.UTC(2000 + (i % 19), i % 12, 1));
        const next = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
        return [
          ['date', `ge${month.toISOString().slice(0, 10)}`],
          ['date', `lt${next.toISOString().slice(0, 10)}`],
        ];
      },
    ],
    [
      'patient with _revinclude of encounters',
      'Patient',
      (i) => [
        ['_id', pick(patients, i).id],
        ['_revinclude', 'Encounter:patient'],
      ],
    ],
    [
      'chained: observations by patient name',
      'Observation',
      (i) => [
        ['patient.name', pick(families, i)],
        ['code', pick(codes, i)],
      ],
    ],
  ];
  const rounds = quick ? 40 : 200;
  for (const [name, type, params] of queries) {
    for (let i = 0; i < 10; i++) await repo.search(type, params(i));
    const times: number[] = [];
    let matches = 0;
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      const result = await repo.search(type, params(i));
      // What the server does with a page: assemble the Bundle text.
      buildSearchset({
        baseUrl: 'http://localhost/fhir',
        path: type,
        applied: result.parsed.applied,
        request: result.parsed.request,
        matches: result.page.matches,
        included: result.page.included,
        total: result.page.total,
        hasMore: result.page.hasMore,
        snapshot: result.page.snapshot,
      });
      times.push(performance.now() - started);
      matches += result.page.matches.length + result.page.included.length;
    }
    times.sort((a, b) => a - b);
    const note = `p50 ${percentile(times, 0.5).toFixed(2)} ms, ${Math.round(matches / rounds)} resources per answer`;
    add({
      section: 'search',
      metric: `${name} p95`,
      value: Number(percentile(times, 0.95).toFixed(2)),
      unit: 'ms',
      target: '< 20 ms',
      note,
    });
  }
}

async function httpLoad(database: string, servers = 1): Promise<void> {
  // The load generator is one client: the per-client API rate limit would measure itself, not the server.
  const spawned = await Promise.all(
    Array.from({ length: servers }, () => spawnServer({ CARELOOP_DB: database, CARELOOP_API_RATE_LIMIT: '0' })),
  );
  const server = spawned[0] as Awaited<ReturnType<typeof spawnServer>>;
  const duration = quick ? 5 : 15;
  try {
    const listing = (await (await server.fetch(`${server.url}/fhir/Observation?_count=1000&_elements=id`)).json()) as {
      entry: { resource: { id: string; subject?: { reference: string } } }[];
    };
    const observationIds = listing.entry.map((e) => e.resource.id);
    const patients = (await (await server.fetch(`${server.url}/fhir/Patient?_count=200&_elements=id`)).json()) as {
      entry: { resource: { id: string } }[];
    };
    const patientIds = patients.entry.map((e) => e.resource.id);
    // Every request carries a token and passes authentication, the access checks and the audit log;
    // the token is a backend system's (the synthetic bench data has no care teams).
    const headers = { authorization: `Bearer ${server.token}` };
    let n = 0;
    const read = await autocannon({
      url: server.url,
      headers,
      connections: 10,
      duration,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => ({ ...req, path: `/fhir/Observation/${observationIds[n++ % observationIds.length]}` }),
        },
      ],
    });
    if (servers > 1) {
      // Each server gets its own load generator; the figure is their sum.
      const results = await Promise.all(
        spawned.map((srv) =>
          autocannon({
            url: srv.url,
            headers,
            connections: 10,
            duration,
            requests: mixedRequests(patientIds, observationIds, headers),
          }),
        ),
      );
      add({
        section: 'http',
        metric: `mixed load, ${servers} server processes on one database`,
        value: Math.round(results.reduce((n, r) => n + r.requests.average, 0)),
        unit: 'requests/s',
        note: `${results.reduce((n, r) => n + r.non2xx, 0)} errors`,
      });
      return;
    }
    add({
      section: 'http',
      metric: 'read by id',
      value: Math.round(read.requests.average),
      unit: 'requests/s',
      target: '>= 3,000',
      note: `p99 ${read.latency.p99} ms, ${read.non2xx} errors`,
    });
    const mixed = await autocannon({
      url: server.url,
      headers,
      connections: 10,
      duration,
      requests: mixedRequests(patientIds, observationIds, headers),
    });
    add({
      section: 'http',
      metric: 'mixed load (60% search, 25% read, 15% write)',
      value: Math.round(mixed.requests.average),
      unit: 'requests/s',
      target: '>= 1,000',
      note: `p99 ${mixed.latency.p99} ms, ${mixed.non2xx} errors`,
    });
  } finally {
    await Promise.all(spawned.map((srv) => srv.stop()));
  }
}

/** 60% searches (the coordinator's everyday lookups), 25% reads by id, 15% new observations. */
function mixedRequests(
  patientIds: readonly string[],
  observationIds: readonly string[],
  auth: Record<string, string>,
): autocannon.Request[] {
  let m = 0;
  return [
    {
      setupRequest: (req) => {
        const i = m++;
        const r = i % 20;
        const patient = patientIds[i % patientIds.length];
        if (r < 12) {
          const searches = [
            `/fhir/Observation?patient=${patient}&code=http://loinc.org|8302-2`,
            `/fhir/Encounter?patient=${patient}&_sort=-date&_count=10`,
            `/fhir/Condition?patient=${patient}`,
            `/fhir/Patient?name=${['smi', 'joh', 'wil', 'bro', 'dav'][i % 5]}&_count=10`,
          ];
          return { ...req, method: 'GET', path: searches[i % searches.length] as string };
        }
        if (r < 17)
          return { ...req, method: 'GET', path: `/fhir/Observation/${observationIds[i % observationIds.length]}` };
        return {
          ...req,
          method: 'POST',
          path: '/fhir/Observation',
          headers: { ...auth, 'content-type': 'application/fhir+json', prefer: 'return=minimal' },
          body: JSON.stringify({
            resourceType: 'Observation',
            status: 'final',
            code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
            subject: { reference: `Patient/${patient}` },
            effectiveDateTime: new Date().toISOString(),
            valueQuantity: { value: 60 + (i % 40), unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
          }),
        };
      },
    },
  ];
}

/** Databases for the bench: files in the temporary folder, or fresh PostgreSQL databases. */
const dropLater: (() => Promise<void>)[] = [];
async function newDatabase(kind: 'sqlite' | 'postgres', name: string): Promise<string> {
  if (kind === 'sqlite') return join(tmp.path, `${name}.db`);
  const db = await createPostgresDatabase();
  dropLater.push(db.drop);
  return db.url;
}

async function runSuite(kind: 'sqlite' | 'postgres'): Promise<void> {
  currentDb = kind;
  console.log(`\n== ${kind === 'sqlite' ? 'SQLite (embedded)' : 'PostgreSQL'}`);
  if (only === 'access') {
    await accessCost(kind);
    return;
  }
  if (only === 'feeds') {
    await adtFeedRate(kind);
    await ccdaImportTime(kind);
    return;
  }
  console.log('\nImport');
  const raw = kind === 'sqlite' ? rawInsertRate() : undefined;
  if (raw)
    add({
      section: 'import',
      metric: 'raw better-sqlite3 insert of the same JSON (ceiling)',
      value: raw,
      unit: 'rows/s',
    });
  const single = await importCli(await newDatabase(kind, 'single'), 1);
  add({
    section: 'import',
    metric: 'careloop import of the Synthea sample (2,452 resources)',
    value: Math.round(single.resources / single.seconds),
    unit: 'resources/s',
    target: '>= 10,000',
    note: `${single.seconds.toFixed(2)} s in the command, ${single.wall.toFixed(2)} s with process start`,
  });
  const copies = quick ? 5 : 20;
  const many = await importCli(await newDatabase(kind, 'many'), copies);
  const rate = Math.round(many.resources / many.seconds);
  add({
    section: 'import',
    metric: `careloop import of the sample ×${copies} (${many.resources.toLocaleString('en-US')} resources, fresh ids)`,
    value: rate,
    unit: 'resources/s',
    target: '>= 10,000',
    ...(raw ? { note: `${(rate / raw).toFixed(2)} of the raw ceiling` } : {}),
  });

  console.log('\nSearch');
  const searchDb = await newDatabase(kind, 'search');
  const searchCopies = quick ? 10 : 41;
  const loaded = await importCli(searchDb, searchCopies);
  const store = await openStore(searchDb);
  const repo = createFhirRepository(store);
  const practitioners = (await repo.search('Practitioner', [['_count', '100']])).page.matches.map((m) => m.id);
  const patients = (await repo.search('Patient', [['_count', '1000']])).page.matches.map((m) => m.id);
  await seedTasks(repo, practitioners, patients, quick ? 1000 : 5000);
  // As the database's own maintenance would (autovacuum, PRAGMA optimize), let the planner see the tasks.
  await store.analyze();
  const total = Object.values(await store.countByType()).reduce((a, b) => a + b, 0);
  add({
    section: 'search',
    metric: 'resources loaded for the search bench',
    value: total,
    unit: 'resources',
    note: `${loaded.resources} imported + tasks`,
  });
  await searchLatencies(repo);
  await store.close();

  console.log('\nHTTP (autocannon, 10 connections per server, loopback)');
  await httpLoad(searchDb);
  if (kind === 'postgres') await httpLoad(searchDb, 2);

  console.log('\nAccess decisions as a permitted record grows');
  await accessCost(kind);

  console.log('\nHospital ADT feed (MLLP, one connection)');
  await adtFeedRate(kind);
  console.log('\nC-CDA documents (POST $import-ccda)');
  await ccdaImportTime(kind);
}

/**
 * One C-CDA document imported over HTTP, from the request to the answer: read, converted, matched,
 * and written as one transaction (Binary, DocumentReference, the sections' resources, Provenance).
 * Each import is a new document (its id changed) about the same patient, one after another; the
 * ONC inpatient discharge summary (155 kB) and HL7's Transfer Summary (249 kB) bracket the 200 kB
 * of the target.
 */
async function ccdaImportTime(kind: 'sqlite' | 'postgres'): Promise<void> {
  const rounds = quick ? 5 : 20;
  for (const [file, label] of [
    ['DS__onc-2015-testdata__170.315_b1_toc_inp_ds_r21_sample1_v12.xml', 'ONC inpatient discharge summary'],
    ['TransferSummary__hl7-c-cda-examples__Transfer_Summary.xml', 'HL7 Transfer Summary'],
  ] as const) {
    // A database of its own for each (the public samples share their test patients' identifiers).
    const server = await spawnServer({ CARELOOP_DB: await newDatabase(kind, `ccda-${label.length}`) });
    try {
      const xml = readFileSync(sharedData('ccda', file), 'utf8');
      const kb = Math.round(Buffer.byteLength(xml) / 1024);
      const times: number[] = [];
      for (let i = 0; i < rounds + 2; i++) {
        // A new document each time (the header's first id gets a fresh extension) about a new patient
        // (an identifier and a family name of their own: the same patient again would be matched,
        // and the samples' patients, reused across them, would wait for the feed review).
        const at = xml.indexOf('<patientRole');
        const end = xml.indexOf('</patientRole>');
        const body =
          xml
            .slice(0, at)
            .replace(/<id [^>]*\/>/, `<id root="2.16.840.1.113883.19.5.99999.1" extension="bench-${i}"/>`) +
          xml
            .slice(at, end)
            .replace(/<id [^>]*\/>/, `<id root="2.16.840.1.113883.19.5.99999.2" extension="bench-patient-${i}"/>`)
            .replace(/<family([^>]*)>([^<]*)<\/family>/g, `<family$1>$2-${i}</family>`) +
          xml.slice(end);
        const t = performance.now();
        const res = await fetch(`${server.url}/fhir/$import-ccda`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/cda+xml' },
          body,
        });
        const answer = await res.text();
        if (res.status !== 201) throw new Error(`C-CDA import answered ${res.status}: ${answer.slice(0, 300)}`);
        // The first two warm the server up (its code paths compiled), not counted.
        if (i >= 2) times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      add({
        section: 'feeds',
        metric: `C-CDA import of the ${label} (${kb} kB), one document per request`,
        value: Number(percentile(times, 0.5).toFixed(0)),
        unit: 'ms (p50)',
        target: '< 300 ms for 200 kB',
        note: `p95 ${percentile(times, 0.95).toFixed(0)} ms, ${(1000 / percentile(times, 0.5)).toFixed(1)} documents/s`,
      });
    } finally {
      await server.stop();
    }
  }
}

/**
 * ADT messages applied per second over one MLLP connection, as a hospital's interface engine sends
 * them: each waits for its ACK before the next. Half admissions (A01: a new patient, the transition
 * episode and its task), half discharges (A03: LACE, the TCM clock and its tasks), each a full
 * transaction with the transition engine's hooks.
 */
async function adtFeedRate(kind: 'sqlite' | 'postgres'): Promise<void> {
  const mllpPort = await freePort();
  const server = await spawnServer({
    CARELOOP_DB: await newDatabase(kind, 'feed'),
    CARELOOP_MLLP_PORT: String(mllpPort),
  });
  try {
    const patients = quick ? 50 : 300;
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    const message = (event: 'A01' | 'A03', i: number) =>
      [
        `MSH|^~\\&|EPIC|MERCY|CARELOOP|CLINIC|${day(0)}0900||ADT^${event}|bench-${event}-${i}|P|2.5.1`,
        `PID|1||B${i}^^^MERCY^MR||Bench${i}^Pat||19500101|F`,
        `PV1|1|I|4E^401^A^MERCY||||1234^Okafor^Grace|||||||7|||||V${i}^^^MERCY^VN${'|'.repeat(17)}${event === 'A03' ? '01' : ''}${'|'.repeat(8)}${day(-2)}0800|${event === 'A03' ? `${day(0)}1000` : ''}`,
        'DG1|1||I50.9^Heart failure, unspecified^I10',
      ].join('\r');
    const messages = [
      ...Array.from({ length: patients }, (_, i) => message('A01', i)),
      ...Array.from({ length: patients }, (_, i) => message('A03', i)),
    ];
    // Warm-up on patients of their own, not counted.
    for (let i = 0; i < 5; i++) await sendRawMllp(mllpPort, message('A01', 1_000_000 + i));
    const times: number[] = [];
    let refused = 0;
    const connection = await openRawMllp(mllpPort);
    const started = performance.now();
    for (const text of messages) {
      const t = performance.now();
      const ack = await connection.send(text);
      times.push(performance.now() - t);
      if (!ack.includes('MSA|AA|')) refused++;
    }
    const seconds = (performance.now() - started) / 1000;
    connection.close();
    times.sort((a, b) => a - b);
    add({
      section: 'feeds',
      metric: `ADT A01 then A03 for ${patients} patients over MLLP, each applied and acknowledged`,
      value: Math.round(messages.length / seconds),
      unit: 'messages/s',
      target: '>= 200',
      note: `p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms per message${refused ? `, ${refused} not AA` : ''}`,
    });
  } finally {
    await server.stop();
  }
}

/**
 * What an access decision costs as a permitted record grows: the coordinator's read-by-id
 * throughput on the demo organization, and on a second copy where a patient on her panel has
 * 100,000 more observations (half of them labelled sensitive). The decision must cost the same
 * either way. Both servers run side by side and are measured in alternating rounds (median of
 * each), so that the ratio compares the data, not a moment when the machine was busier.
 */
async function accessCost(kind: 'sqlite' | 'postgres'): Promise<void> {
  const duration = quick ? 3 : 8;
  const rounds = quick ? 2 : 3;
  const extra = quick ? 20_000 : 100_000;
  const plain = await newDatabase(kind, 'access-plain');
  const grown = await newDatabase(kind, 'access-grown');
  // Seed the demo into both (the server does it at its first start), then grow the second.
  for (const database of [plain, grown]) {
    const seed = await spawnServer({ CARELOOP_DB: database, CARELOOP_DEMO: '1' });
    await seed.stop();
  }
  await addObservations(grown, 'demo-nadia-petrov', extra);
  const servers = [
    await spawnServer({ CARELOOP_DB: plain, CARELOOP_API_RATE_LIMIT: '0' }),
    await spawnServer({ CARELOOP_DB: grown, CARELOOP_API_RATE_LIMIT: '0' }),
  ];
  try {
    const runs: { rate: number; p99: number; errors: number }[][] = [[], []];
    await Promise.all(servers.map((server) => readLoad(server.url, 2)));
    for (let round = 0; round < rounds; round++) {
      for (const [i, server] of servers.entries()) runs[i]?.push(await readLoad(server.url, duration));
    }
    const [before, after] = runs.map((r) => {
      const sorted = [...r].sort((a, b) => a.rate - b.rate);
      return sorted[Math.floor(sorted.length / 2)] as { rate: number; p99: number; errors: number };
    }) as [{ rate: number; p99: number; errors: number }, { rate: number; p99: number; errors: number }];
    add({
      section: 'access',
      metric: 'coordinator read by id, demo organization',
      value: before.rate,
      unit: 'requests/s',
      note: `p99 ${before.p99} ms, ${before.errors} errors`,
    });
    add({
      section: 'access',
      metric: `the same with ${extra.toLocaleString('en-US')} more observations of a patient on her panel`,
      value: after.rate,
      unit: 'requests/s',
      note: `p99 ${after.p99} ms, ${after.errors} errors`,
    });
    add({
      section: 'access',
      metric: 'ratio of the two (the access decision does not grow with the records it permits)',
      value: Number((after.rate / Math.max(before.rate, 1)).toFixed(2)),
      unit: '',
      target: '> 0.8',
    });
  } finally {
    for (const server of servers) await server.stop();
  }
}

/** The coordinator reading Harold's observations one by one, 10 connections, for `seconds`. */
async function readLoad(url: string, seconds: number): Promise<{ rate: number; p99: number; errors: number }> {
  const login = (await (
    await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'coordinator', password: 'careloop-demo-pass' }),
    })
  ).json()) as { access_token: string };
  const headers = { authorization: `Bearer ${login.access_token}` };
  const listing = (await (
    await fetch(`${url}/fhir/Observation?patient=demo-harold-brennan&_count=50&_elements=id`, { headers })
  ).json()) as { entry: { resource: { id: string } }[] };
  const ids = listing.entry.map((e) => e.resource.id);
  let n = 0;
  const result = await autocannon({
    url,
    headers,
    connections: 10,
    duration: seconds,
    requests: [
      { method: 'GET', setupRequest: (req) => ({ ...req, path: `/fhir/Observation/${ids[n++ % ids.length]}` }) },
    ],
  });
  return { rate: Math.round(result.requests.average), p99: result.latency.p99, errors: result.non2xx };
}

/** `count` observations of one patient written straight to the store, half labelled PSY. */
async function addObservations(database: string, patient: string, count: number): Promise<void> {
  const store = await openStore(database);
  try {
    await writeLabelledObservations(store, patient, { from: 0, to: count, idPrefix: 'bench-obs' });
  } finally {
    await store.close();
  }
}

/** Reconciling two lists of 40 medications each, interaction checks against the whole knowledge base. */
function medrecLatency(): void {
  const kb = drugKnowledge();
  const names = [...new Set([...kb.interactions.keys()].flatMap((k) => k.split('|')))]
    .filter((n) => kb.rxcuiOf.has(n) && !n.includes(' '))
    .slice(0, 60);
  const entry = (source: 'home' | 'discharge', name: string, i: number, mg: number, dose: string): MedicationEntry => ({
    ref: `${source === 'home' ? 'MedicationStatement' : 'MedicationRequest'}/${source}-${i}`,
    source,
    resource: {
      resourceType: source === 'home' ? 'MedicationStatement' : 'MedicationRequest',
      status: 'active',
      subject: { reference: 'Patient/p' },
      medicationCodeableConcept: { text: `${name[0]?.toUpperCase()}${name.slice(1)} ${mg} MG Oral Tablet` },
      ...(source === 'home' ? { dosage: [{ text: dose }] } : { intent: 'order', dosageInstruction: [{ text: dose }] }),
    } as MedicationEntry['resource'],
  });
  const home = names.slice(0, 40).map((n, i) => entry('home', n, i, 10, 'once daily'));
  const discharge = names
    .slice(10, 50)
    .map((n, i) => entry('discharge', n, i, i % 5 === 0 ? 20 : 10, i % 7 === 0 ? 'twice daily' : 'once daily'));
  const entries = [...home, ...discharge];
  const allergies = [
    {
      resourceType: 'AllergyIntolerance' as const,
      patient: { reference: 'Patient/p' },
      code: { text: 'Allergy to penicillin' },
    },
  ];
  for (let i = 0; i < 20; i++) reconcileMedications({ entries, allergies });
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < (quick ? 50 : 500); i++) {
    const started = performance.now();
    found = reconcileMedications({ entries, allergies }).discrepancies.length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  add({
    section: 'medrec',
    metric: 'reconcile two lists of 40 medications (interactions against the whole knowledge base)',
    value: Number(percentile(times, 0.95).toFixed(2)),
    unit: 'ms p95',
    target: '< 10 ms',
    note: `p50 ${percentile(times, 0.5).toFixed(2)} ms, ${found} discrepancies, ${kb.interactions.size} interaction pairs`,
  });
}

async function main(): Promise<void> {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(`Careloop benchmark on ${machine}${quick ? ' (quick)' : ''}`);
  try {
    await runSuite('sqlite');
    if (!only) {
      console.log('\nMedication reconciliation (in process)');
      medrecLatency();
    }
    if (withPostgres) await runSuite('postgres');
  } finally {
    for (const drop of dropLater) await drop().catch(() => undefined);
  }
  const results = { date: new Date().toISOString(), machine, quick, rows };
  if (!quick && !only) {
    const file = withPostgres ? './results-postgres.json' : './results.json';
    writeFileSync(new URL(file, import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  }
  printTable();
  rmSync(tmp.path, { recursive: true, force: true });
}

function printTable(): void {
  const cell = (r: Row | undefined): string =>
    r ? `${r.value.toLocaleString('en-US')} ${r.unit}${r.note ? ` (${r.note})` : ''}` : '';
  if (!withPostgres) {
    console.log('\n| section | metric | result | target |\n|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.section} | ${r.metric} | ${cell(r)} | ${r.target ?? ''} |`);
    return;
  }
  console.log('\n| section | metric | SQLite | PostgreSQL | target |\n|---|---|---|---|---|');
  const keys = [...new Set(rows.map((r) => `${r.section}\u0000${r.metric}`))];
  for (const key of keys) {
    const [section, metric] = key.split('\u0000');
    const find = (db: string) => rows.find((r) => r.db === db && r.section === section && r.metric === metric);
    const any = find('sqlite') ?? find('postgres');
    console.log(
      `| ${section} | ${metric} | ${cell(find('sqlite'))} | ${cell(find('postgres'))} | ${any?.target ?? ''} |`,
    );
  }
}

await main();
