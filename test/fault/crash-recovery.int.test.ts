// Durability: every write the server acknowledged survives `kill -9` in the middle of a write load.
import { describe, expect, it } from 'vitest';
import { spawnServer } from '../support/spawn-server.js';
import { createTestDatabase, testDatabaseKind } from '../support/test-database.js';

describe(`crash recovery (${testDatabaseKind()})`, () => {
  it('keeps every acknowledged write at its acknowledged version after SIGKILL', async () => {
    const database = await createTestDatabase();
    const env = { CARELOOP_DB: database.url };
    const server = await spawnServer(env);
    const acknowledged = new Map<string, number>();
    let stop = false;
    let failures = 0;

    const writer = async (n: number): Promise<void> => {
      let current: { id: string; version: number } | undefined;
      for (let i = 0; !stop; i++) {
        try {
          if (!current || i % 3 === 0) {
            const res = await server.fetch(`${server.url}/fhir/Patient`, {
              method: 'POST',
              headers: { 'content-type': 'application/fhir+json' },
              body: JSON.stringify({ resourceType: 'Patient', name: [{ family: `Crash${n}`, given: [String(i)] }] }),
            });
            if (res.status !== 201) continue;
            const body = (await res.json()) as { id: string };
            current = { id: body.id, version: 1 };
          } else {
            const res = await server.fetch(`${server.url}/fhir/Patient/${current.id}`, {
              method: 'PUT',
              headers: { 'content-type': 'application/fhir+json', 'if-match': `W/"${current.version}"` },
              body: JSON.stringify({
                resourceType: 'Patient',
                id: current.id,
                name: [{ family: `Crash${n}`, given: [String(i)] }],
              }),
            });
            if (res.status !== 200) continue;
            current = { id: current.id, version: Number((res.headers.get('etag') ?? '').replace(/\D/g, '')) };
          }
          acknowledged.set(current.id, current.version);
        } catch {
          failures++;
          return;
        }
      }
    };

    const load = Promise.all([1, 2, 3, 4].map(writer));
    await new Promise((r) => setTimeout(r, 1500));
    server.process.kill('SIGKILL');
    stop = true;
    await load;
    expect(acknowledged.size).toBeGreaterThan(20);

    const restarted = await spawnServer(env);
    try {
      for (const [id, version] of acknowledged) {
        const current = await restarted.fetch(`${restarted.url}/fhir/Patient/${id}`);
        expect(current.status).toBe(200);
        const body = (await current.json()) as { meta: { versionId: string } };
        expect(Number(body.meta.versionId)).toBeGreaterThanOrEqual(version);
        const atVersion = await restarted.fetch(`${restarted.url}/fhir/Patient/${id}/_history/${version}`);
        expect(atVersion.status).toBe(200);
      }
    } finally {
      await restarted.stop();
      await database.drop();
    }
    expect(failures).toBeLessThanOrEqual(4);
  });
});
