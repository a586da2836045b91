// careloop migrate: an embedded database, with updates and deletions, copied into PostgreSQL.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/support/shared-data.js';
import { makeTempDir } from '../../../test/support/temp-dir.js';
import { createPostgresDatabase } from '../../../test/support/test-database.js';
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
    const repo = createFhirRepository(source);
    const patient = (await repo.search('Patient', [['_count', '1']])).page.matches[0];
    const id = patient?.id as string;
    const body = JSON.parse(patient?.json as string);
    await repo.update('Patient', id, { ...body, gender: 'other' });
    const obs = (await repo.search('Observation', [['_count', '1']])).page.matches[0]?.id as string;
    await repo.delete('Observation', obs);
    await source.close();

    const pg = await createPostgresDatabase();
    try {
      const { stdout } = await run('node', ['bin/careloop.mjs', 'migrate', '--to', pg.url], { env });
      expect(stdout).toMatch(/Copied 2,452 resources \(2,454 versions\) .* counts verified/);
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
