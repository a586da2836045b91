// What several servers on one PostgreSQL database must get right, each "server" being its own store
// (own connection pool) on the same database: migrations, If-Match races, versions, job claims.
import type { Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { createFhirRepository, type FhirRepository } from '../repository/create-fhir-repository.js';
import type { Store } from '../store.js';
import { openPostgresStore } from './open-postgres-store.js';
import { openPgDatabase } from './postgres-database.js';
import { PG_MIGRATIONS } from './postgres-migrations.js';

let database: TestDatabase;
let stores: Store[];
let a: FhirRepository;
let b: FhirRepository;

beforeAll(async () => {
  database = await createPostgresDatabase();
  // Four servers starting at once on an empty database: the advisory lock lets one migrate.
  stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore(database.url, { maxConnections: 4 })));
  a = createFhirRepository(stores[0] as Store);
  b = createFhirRepository(stores[1] as Store);
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await database.drop();
});

const statusOf = async (p: Promise<unknown>): Promise<number> => {
  try {
    await p;
    return 200;
  } catch (err) {
    if (err instanceof OutcomeError) return err.status;
    throw err;
  }
};

describe('PostgreSQL with several servers', () => {
  it('applies each migration once when servers start together', async () => {
    const db = openPgDatabase(database.url);
    const rows = await db.all('SELECT version FROM careloop_schema ORDER BY version');
    expect(rows.map((r) => Number(r.version))).toEqual(PG_MIGRATIONS.map((m) => m.version));
    await db.close();
  });

  it('lets exactly one of two If-Match updates of the same version win; the other gets 412', async () => {
    for (let round = 0; round < 10; round++) {
      const created = await a.create({ resourceType: 'Patient', name: [{ family: `Race${round}` }] });
      const id = created.stored.id;
      const body = (gender: Patient['gender']): Patient => ({
        resourceType: 'Patient',
        id,
        gender,
        name: [{ family: `Race${round}` }],
      });
      const results = await Promise.all([
        statusOf(a.update('Patient', id, body('male'), { ifMatch: 'W/"1"' })),
        statusOf(b.update('Patient', id, body('female'), { ifMatch: 'W/"1"' })),
      ]);
      expect(results.sort()).toEqual([200, 412]);
      expect((await a.read('Patient', id)).versionId).toBe(2);
    }
  });

  it('never writes a version number twice, and loses no update, under concurrent writers', async () => {
    const created = await a.create({ resourceType: 'Patient', name: [{ family: 'Counter' }] });
    const id = created.stored.id;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).update('Patient', id, {
          resourceType: 'Patient',
          id,
          name: [{ family: 'Counter', given: [`n${i}`] }],
        }),
      ),
    );
    const history = await (stores[2] as Store).history({ resourceType: 'Patient', id, count: 100, offset: 0 });
    const versions = history.versions.map((v) => v.versionId).sort((x, y) => x - y);
    expect(versions).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });

  it('turns two simultaneous creates of one client id into a create and an update', async () => {
    const body = (family: string): Patient => ({ resourceType: 'Patient', id: 'same-client-id', name: [{ family }] });
    const results = await Promise.all([
      a.update('Patient', 'same-client-id', body('One')),
      b.update('Patient', 'same-client-id', body('Two')),
    ]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect((await a.read('Patient', 'same-client-id')).versionId).toBe(2);
  });

  it('lets one of twenty claims of an assertion id on four servers win (SMART Backend Services jti replay)', async () => {
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (stores[i % 4] as Store).accounts.claimArtifact(
          'ReplayDetection',
          'jti-race',
          '{}',
          Date.now() + 60_000,
          Date.now(),
        ),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('exchanges an authorization code once when four servers race to consume it', async () => {
    await (stores[0] as Store).accounts.saveArtifact('AuthorizationCode', 'code-race', '{}', {
      expiresAt: Date.now() + 60_000,
    });
    const consumed = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (stores[i % 4] as Store).accounts.consumeArtifact('AuthorizationCode', 'code-race', Date.now()),
      ),
    );
    expect(consumed.filter(Boolean)).toHaveLength(1);
  });

  it('hands each job to exactly one server', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `job-${i}`);
    for (const id of ids) await (stores[0] as Store).enqueueJob({ id, kind: 'race', payload: {} });
    const claimed: string[] = [];
    await Promise.all(
      stores.map(async (store) => {
        for (;;) {
          const job = await store.claimJob(['race'], Date.now());
          if (!job) return;
          claimed.push(job.id);
        }
      }),
    );
    expect(claimed.sort()).toEqual([...ids].sort());
  });

  it('keeps transactions isolated: an uncommitted write is invisible to the other server', async () => {
    let release: () => void = () => undefined;
    const pending = (stores[0] as Store).transaction(async (tx) => {
      const { prepareVersion } = await import('../repository/prepare-version.js');
      await tx.write(
        prepareVersion({ resourceType: 'Patient', name: [{ family: 'Invisible' }] }, 'invisible', 1, Date.now()).write,
      );
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await (stores[1] as Store).readCurrent('Patient', 'invisible')).toBeUndefined();
    release();
    await pending;
    expect((await (stores[1] as Store).readCurrent('Patient', 'invisible'))?.versionId).toBe(1);
  });
});

describe('two server processes on one PostgreSQL database', () => {
  it('answer concurrent If-Match updates of one version with one 200 and one 412', async () => {
    const { spawnServer } = await import('../../../test/support/spawn-server.js');
    const servers = await Promise.all([
      spawnServer({ CARELOOP_DB: database.url }),
      spawnServer({ CARELOOP_DB: database.url }),
    ]);
    try {
      const [one, two] = servers as [(typeof servers)[0], (typeof servers)[0]];
      const created = (await (
        await one.fetch(`${one.url}/fhir/Patient`, {
          method: 'POST',
          headers: { 'content-type': 'application/fhir+json' },
          body: JSON.stringify({ resourceType: 'Patient', name: [{ family: 'TwoServers' }] }),
        })
      ).json()) as { id: string };
      const put = (server: typeof one, gender: string) =>
        server.fetch(`${server.url}/fhir/Patient/${created.id}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/fhir+json', 'if-match': 'W/"1"' },
          body: JSON.stringify({ resourceType: 'Patient', id: created.id, gender, name: [{ family: 'TwoServers' }] }),
        });
      const statuses = (await Promise.all([put(one, 'male'), put(two, 'female')])).map((r) => r.status);
      expect(statuses.sort()).toEqual([200, 412]);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
});
