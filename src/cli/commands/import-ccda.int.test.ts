// `careloop import` takes C-CDA documents (.xml) beside FHIR bundles: each is imported as the
// server would, a second run changes nothing, and a broken one is named and makes the exit code 1.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/support/shared-data.js';
import { makeTempDir } from '../../../test/support/temp-dir.js';
import { createTestDatabase } from '../../../test/support/test-database.js';

const run = promisify(execFile);
const dir = makeTempDir();
afterAll(() => dir.remove());

describe('careloop import of C-CDA documents', () => {
  it('imports a document once, and names one it cannot read', async () => {
    const database = await createTestDatabase();
    try {
      const env = { ...process.env, CARELOOP_DB: database.url };
      const ccd = sharedData('ccda/CCD__onc-2015-testdata__170.315_b1_toc_amb_ccd_r21_sample1_v13.xml');
      const first = await run('node', ['bin/careloop.mjs', 'import', ccd], { env });
      expect(first.stdout).toMatch(
        /toc_amb_ccd_r21_sample1_v13\.xml: applied \(DocumentReference\/[\w-]+, \d+ resources/,
      );
      const again = await run('node', ['bin/careloop.mjs', 'import', ccd], { env });
      expect(again.stdout).toMatch(/: unchanged \(DocumentReference/);
      const broken = join(dir.path, 'broken.xml');
      writeFileSync(broken, '<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1.2"');
      await expect(run('node', ['bin/careloop.mjs', 'import', broken], { env })).rejects.toMatchObject({
        code: 1,
        stdout: expect.stringMatching(/broken\.xml: refused at line 1, column \d+: The XML is not well formed/),
      });
    } finally {
      await database.drop();
    }
  });
});
