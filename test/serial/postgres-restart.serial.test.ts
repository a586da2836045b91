// PostgreSQL stopped and started under a write load: the server answers 503 meanwhile (never 500),
// needs no restart, and keeps every write it acknowledged. It stops the machine's PostgreSQL, so it
// runs alone, after the rest of the suite (vitest.serial.config.ts), and only in the PostgreSQL pass.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnServer } from '../support/spawn-server.js';
import { createPostgresDatabase, testDatabaseKind } from '../support/test-database.js';

function cluster(action: 'stop' | 'start'): void {
  const version = readdirSync('/etc/postgresql')[0] ?? '15';
  const args = ['--skip-systemctl-redirect', version, 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])];
  try {
    execFileSync('pg_ctlcluster', args, { stdio: 'ignore' });
  } catch (err) {
    // Starting a cluster that runs already is not a failure.
    const online = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' }).includes('online');
    if (!(action === 'start' && online)) throw err;
  }
}

describe.runIf(testDatabaseKind() === 'postgres')('PostgreSQL restart under load', () => {
  it('answers 503 while the database is down and recovers without a server restart', async () => {
    const database = await createPostgresDatabase();
    const server = await spawnServer({ CARELOOP_DB: database.url });
    const statuses = new Map<number, number>();
    const acknowledged: string[] = [];
    let running = true;
    const writer = async (): Promise<void> => {
      while (running) {
        try {
          const res = await server.fetch(`${server.url}/fhir/Patient`, {
            method: 'POST',
            headers: { 'content-type': 'application/fhir+json' },
            body: JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Restart' }] }),
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
          else await res.text();
        } catch {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
        }
        if (statuses.get(503)) await new Promise((r) => setTimeout(r, 20));
      }
    };
    const load = Promise.all([writer(), writer(), writer()]);
    try {
      await new Promise((r) => setTimeout(r, 1000));
      cluster('stop');
      await new Promise((r) => setTimeout(r, 2000));
      const during = acknowledged.length;
      cluster('start');
      // Writes succeed again once PostgreSQL accepts connections.
      for (let i = 0; i < 100 && acknowledged.length <= during; i++) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 500));
      running = false;
      await load;
      expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(500) ?? 0).toBe(0);
      expect(acknowledged.length).toBeGreaterThan(during);
      for (const id of acknowledged) expect((await server.fetch(`${server.url}/fhir/Patient/${id}`)).status).toBe(200);
    } finally {
      running = false;
      cluster('start');
      await server.stop();
      await database.drop();
    }
  });
});
