import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/support/shared-data.js';
import { makeTempDir } from '../../../test/support/temp-dir.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { openStore } from '../../store/open-store.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Store } from '../../store/store.js';
import { runImport } from './run-import.js';

let dir: ReturnType<typeof makeTempDir>;
let store: Store;
let database: TestDatabase;
let dbPath: string;

beforeEach(async () => {
  dir = makeTempDir();
  database = await createTestDatabase();
  dbPath = database.url;
  store = await openStore(dbPath);
});
afterEach(async () => {
  await store.close();
  await database.drop();
  dir.remove();
});

function allReferences(json: string): string[] {
  return [...json.matchAll(/"reference":"([^"]+)"/g)].map((m) => m[1] as string);
}

describe('careloop import', () => {
  it('loads the Synthea sample without error, links resolved', async () => {
    const report = await runImport(store, [sharedData('synthea')], { database: dbPath });
    expect(report.errors).toEqual([]);
    expect(report.failedFiles).toEqual([]);
    expect(report.resources).toBe(2452);
    expect(report.counts.Patient).toBe(7);
    expect(await store.countByType()).toEqual(report.counts);
    const repo = createFhirRepository(store);
    const { page } = await repo.search('Observation', [['_count', '50']]);
    for (const m of page.matches) {
      for (const ref of allReferences(m.json as string)) {
        expect(ref).not.toMatch(/^urn:/);
        const [type, id] = ref.split('/');
        if (type === 'Patient' || type === 'Encounter')
          expect((await store.readCurrent(type, id as string))?.deleted).toBe(false);
      }
    }
  });

  it('resolves links between files of batch bundles (shared organizations and practitioners)', async () => {
    const report = await runImport(store, [sharedData('synthea-covid19')], { database: dbPath });
    expect(report.errors).toEqual([]);
    expect(report.danglingLinks).toBe(0);
    const { page } = await createFhirRepository(store).search('Encounter', [['_count', '100']]);
    expect(page.matches.length).toBeGreaterThan(10);
    for (const m of page.matches) for (const ref of allReferences(m.json as string)) expect(ref).not.toMatch(/^urn:/);
  });

  it('places a Binary in the record of the resource that is its security context', async () => {
    store.audit.setChainKey(Buffer.alloc(32, 3));
    const lines = [
      { resourceType: 'Patient', id: 'p1' },
      {
        resourceType: 'DocumentReference',
        id: 'doc1',
        status: 'current',
        subject: { reference: 'Patient/p1' },
        content: [{ attachment: { contentType: 'text/plain', url: 'Binary/b1' } }],
      },
      {
        resourceType: 'Binary',
        id: 'b1',
        contentType: 'text/plain',
        securityContext: { reference: 'DocumentReference/doc1' },
      },
    ];
    const file = join(dir.path, 'documents.ndjson');
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const report = await runImport(store, [file], { database: dbPath });
    expect(report.errors).toEqual([]);
    expect((await store.readCurrent('Binary', 'b1'))?.patient).toBe('p1');
  });

  it('skips and reports bad input while importing the rest', async () => {
    const input = join(dir.path, 'input');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(input);
    writeFileSync(join(input, 'a-broken.json'), '{"resourceType": "Bundle", ');
    writeFileSync(
      join(input, 'b-transaction.json'),
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            resource: { resourceType: 'Patient', name: [{ family: 'Kept' }] },
            request: { method: 'POST', url: 'Patient' },
          },
          { resource: { resourceType: 'Patient', gender: 'robot' }, request: { method: 'POST', url: 'Patient' } },
        ],
      }),
    );
    writeFileSync(
      join(input, 'c-lines.ndjson'),
      [
        JSON.stringify({ resourceType: 'Patient', id: 'n1', name: [{ family: 'Line' }] }),
        '{not json',
        JSON.stringify({ resourceType: 'Patient', id: 'n2', birthDate: 'yesterday' }),
        JSON.stringify({ resourceType: 'Patient', id: 'n3' }),
      ].join('\n'),
    );
    const report = await runImport(store, [input], { database: dbPath });
    expect(report.failedFiles.map((f) => f.file)).toEqual(['a-broken.json']);
    expect(report.errors).toHaveLength(3);
    expect(report.errors.join('\n')).toMatch(/b-transaction.json rejected \(transaction\), entry 1/);
    expect(report.errors.join('\n')).toMatch(/c-lines.ndjson line 2: invalid JSON/);
    expect(report.errors.join('\n')).toMatch(/c-lines.ndjson line 3: .*Invalid date 'yesterday'/);
    expect(await store.countByType()).toEqual({ Patient: 2 });
  });

  it('updates resources that arrive again with their ids instead of duplicating them', async () => {
    const file = join(dir.path, 'p.ndjson');
    writeFileSync(file, `${JSON.stringify({ resourceType: 'Patient', id: 'same', name: [{ family: 'Once' }] })}\n`);
    await runImport(store, [file], { database: dbPath });
    writeFileSync(file, `${JSON.stringify({ resourceType: 'Patient', id: 'same', name: [{ family: 'Twice' }] })}\n`);
    await runImport(store, [file], { database: dbPath });
    const current = await store.readCurrent('Patient', 'same');
    expect(current?.versionId).toBe(2);
    expect(await store.countByType()).toEqual({ Patient: 1 });
  });

  it('runs as a command with a count per type and an exit code', async () => {
    const run = promisify(execFile);
    const cli = await createTestDatabase();
    const env = { ...process.env, CARELOOP_DB: cli.url };
    const { stdout } = await run('node', ['bin/careloop.mjs', 'import', sharedData('synthea')], { env });
    expect(stdout).toMatch(/Observation\s+1366/);
    expect(stdout).toMatch(/Imported 2,452 resources from 7 of 7 files/);
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, 'nope');
    await expect(run('node', ['bin/careloop.mjs', 'import', bad], { env })).rejects.toMatchObject({ code: 1 });
    await cli.drop();
  });
});
