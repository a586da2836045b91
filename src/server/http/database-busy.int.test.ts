// Another process holding the write lock longer than the busy timeout is a 503 with Retry-After,
// never a 500, and the request changes nothing.
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../test/support/temp-dir.js';
import { TEST_SECRET_KEY, tokenFor } from '../../../test/support/test-auth.js';
import { prepareVersion } from '../../store/repository/prepare-version.js';
import { openSqliteStore } from '../../store/sqlite/open-sqlite-store.js';
import { StoreUnavailableError } from '../../store/store.js';
import { assembleApp } from '../assemble-app.js';

const dir = makeTempDir();

describe('a database locked by another process', () => {
  it('is reported as unavailable (503, Retry-After) and recovers when the lock is released', async () => {
    const path = join(dir.path, 'busy.db');
    const holder = openSqliteStore(path);
    const store = openSqliteStore(path, { busyTimeoutMs: 100 });
    const app = await assembleApp(store, { secretKey: TEST_SECRET_KEY, exportRoot: dir.path, version: 'test' });
    const token = await tokenFor(app.access, 'system');
    const url = await app.server.listen({ port: 0, host: '127.0.0.1' });
    let release: () => void = () => undefined;
    const held = holder.transaction(async (tx) => {
      await tx.write(prepareVersion({ resourceType: 'Basic', code: { text: 'lock' } } as Resource, 'lock', 1, 1).write);
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    await new Promise((r) => setTimeout(r, 50));
    try {
      await expect(
        store.transaction((tx) =>
          tx.write(prepareVersion({ resourceType: 'Basic', code: { text: 'x' } } as Resource, 'x', 1, 1).write),
        ),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
      const res = await fetch(`${url}/fhir/Basic`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ resourceType: 'Basic', code: { text: 'y' } }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    } finally {
      release();
      await held;
    }
    const after = await fetch(`${url}/fhir/Basic`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ resourceType: 'Basic', code: { text: 'z' } }),
    });
    expect(after.status).toBe(201);
    // Besides the instruments installed at start, only what was acknowledged.
    expect(Object.keys(await store.countByType()).filter((t) => t !== 'Questionnaire')).toEqual(['Basic']);
    expect((await store.countByType()).Basic).toBe(2);
    await app.close();
    await store.close();
    await holder.close();
    dir.remove();
  });
});
