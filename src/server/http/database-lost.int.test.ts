// PostgreSQL going away: requests answer 503 with Retry-After (not 500, no stack), and the server
// recovers by itself when the database is back, without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.js';
import { makeTempDir } from '../../../test/support/temp-dir.js';
import { TEST_SECRET_KEY, tokenFor } from '../../../test/support/test-auth.js';
import { createPostgresDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { openPostgresStore } from '../../store/postgres/open-postgres-store.js';
import type { Store } from '../../store/store.js';
import { assembleApp } from '../assemble-app.js';

let database: TestDatabase;
let proxy: TcpProxy;
let store: Store;
let url: string;
let token: string;
let close: () => Promise<void>;
const dir = makeTempDir();

beforeAll(async () => {
  database = await createPostgresDatabase();
  const target = new URL(database.url);
  proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const viaProxy = new URL(database.url);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  store = await openPostgresStore(viaProxy.toString(), { maxConnections: 4 });
  const app = await assembleApp(store, { secretKey: TEST_SECRET_KEY, exportRoot: dir.path, version: 'test' });
  token = await tokenFor(app.access, 'system');
  url = await app.server.listen({ port: 0, host: '127.0.0.1' });
  close = async () => {
    await app.close();
    await store.close();
  };
});
afterAll(async () => {
  await close();
  await proxy.close();
  await database.drop();
  dir.remove();
});

const post = (family: string) =>
  fetch(`${url}/fhir/Patient`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ resourceType: 'Patient', name: [{ family }] }),
  });

describe('when PostgreSQL goes away', () => {
  it('answers 503 with Retry-After, then recovers by itself', async () => {
    expect((await post('Before')).status).toBe(201);
    proxy.cut();
    const during = await post('During');
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBe('1');
    const body = (await during.json()) as { resourceType: string; issue: { diagnostics: string }[] };
    expect(body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(body)).not.toMatch(/ECONN|at \w+ \(/);
    const search = await fetch(`${url}/fhir/Patient?family=before`, { headers: { authorization: `Bearer ${token}` } });
    expect(search.status).toBe(503);
    proxy.restore();
    let recovered = 0;
    for (let i = 0; i < 50 && recovered !== 201; i++) {
      recovered = (await post('After')).status;
      if (recovered !== 201) await new Promise((r) => setTimeout(r, 100));
    }
    expect(recovered).toBe(201);
    const after = await fetch(`${url}/fhir/Patient?family=after`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await after.json()) as { entry: unknown[] }).entry).toHaveLength(1);
  });
});
