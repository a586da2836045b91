// careloop migrate: an embedded database, with updates and deletions, copied into PostgreSQL.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/support/shared-data.js';
import { makeTempDir } from '../../../test/support/temp-dir.js';
import { createPostgresDatabase } from '../../../test/support/test-database.js';
import { deriveAuditKey } from '../../access/audit/audit-key.js';
import { verifyAuditLog } from '../../access/audit/verify-audit-log.js';
import { loadSecretKey } from '../../access/auth/secret-key.js';
import { addUser } from '../../access/auth/users.js';
import { openStore } from '../../store/open-store.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';

const run = promisify(execFile);
const dir = makeTempDir();
afterAll(() => dir.remove());

describe('careloop migrate', () => {
  it('copies every version and index into PostgreSQL and verifies the counts', async () => {
    const sqlite = join(dir.path, 'source.db');
    const env = { ...process.env, CARELOOP_DB: sqlite };
    await run('node', ['bin/careloop.mjs', 'import', sharedData('synthea')], { env });
    const source = await openStore(sqlite);
    // The import made the key file beside the database; the audit chain is keyed with it.
    const auditKey = deriveAuditKey(loadSecretKey({ keyFile: `${sqlite}.key` }));
    source.audit.setChainKey(auditKey);
    const repo = createFhirRepository(source);
    const patient = (await repo.search('Patient', [['_count', '1']])).page.matches[0];
    const id = patient?.id as string;
    const body = JSON.parse(patient?.json as string);
    await repo.update('Patient', id, { ...body, gender: 'other' });
    const obs = (await repo.search('Observation', [['_count', '1']])).page.matches[0]?.id as string;
    await repo.delete('Observation', obs);
    await addUser(
      { store: source, now: () => Date.now() },
      {
        username: 'nurse',
        password: 'a-long-password',
        role: 'coordinator',
        links: { practitioner: 'Practitioner/x' },
      },
    );
    const entry = { kind: 'rest', action: 'R' as const, status: 200, entity: `Patient/${id}`, patients: [id] };
    await source.audit.append([
      { ...entry, recorded: 1 },
      { ...entry, recorded: 2 },
    ]);
    await source.close();

    const pg = await createPostgresDatabase();
    try {
      const { stdout } = await run('node', ['bin/careloop.mjs', 'migrate', '--to', pg.url], { env });
      expect(stdout).toMatch(
        /Copied 2,452 resources \(2,454 versions\), 1 users and 3 audit entries .* counts and audit chain verified/,
      );
      const target = await openStore(pg.url);
      const copied = createFhirRepository(target);
      expect((await copied.read('Patient', id)).versionId).toBe(2);
      expect(JSON.parse((await copied.vread('Patient', id, '1')).json as string).gender).not.toBe('other');
      await expect(copied.read('Observation', obs)).rejects.toMatchObject({ status: 410 });
      const found = await copied.search('Observation', [
        ['patient', id],
        ['_summary', 'count'],
      ]);
      expect(found.page.total).toBeGreaterThan(0);
      expect((await target.accounts.getAccountByUsername('nurse'))?.role).toBe('coordinator');
      expect((await verifyAuditLog(target.audit, auditKey)).ok).toBe(true);
      // The deletion kept its compartment: whoever may not see the patient may not see its history.
      const other = await target.history({
        resourceType: 'Observation',
        id: obs,
        count: 10,
        offset: 0,
        access: { patients: { ids: ['someone-else'], organizations: [] }, sharedTypes: 'all' },
      });
      expect(other.total).toBe(0);
      await target.close();
      // An occupied target is refused.
      await expect(run('node', ['bin/careloop.mjs', 'migrate', '--to', pg.url], { env })).rejects.toMatchObject({
        code: 1,
      });
    } finally {
      await pg.drop();
    }
  });
});
