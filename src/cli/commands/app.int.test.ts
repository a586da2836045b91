// careloop app: registering SMART apps from the command line, on a fresh database (SQLite, or
// PostgreSQL under CARELOOP_TEST_DB): what each kind of app gets, what is refused and why, and that
// a secret is shown once and stored only sealed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { TEST_SECRET, TEST_SECRET_KEY } from '../../../test/support/test-auth.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { createSecretBox } from '../../access/crypto/secret-box.js';
import { openStore } from '../../store/open-store.js';

const run = promisify(execFile);
let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

async function careloop(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  database ??= await createTestDatabase();
  try {
    const { stdout, stderr } = await run('node', ['bin/careloop.mjs', 'app', ...args], {
      env: { ...process.env, CARELOOP_DB: database.url, CARELOOP_SECRET: TEST_SECRET },
    });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

it('registers a public and a confidential app, lists them, and removes one', async () => {
  const coach = await careloop(
    'add',
    '--name',
    'Heart failure coach',
    '--public',
    '--redirect-uri',
    'https://coach.example.org/cb',
    '--launch-uri',
    'https://coach.example.org/launch',
  );
  expect(coach.code, coach.err).toBe(0);
  expect(coach.out).toMatch(/^client_id=\S+\n$/);
  const clinician = await careloop(
    'add',
    '--name',
    'Cardiology viewer',
    '--redirect-uri',
    'https://viewer.example.org/cb',
    '--scope',
    'launch openid fhirUser user/*.rs',
  );
  expect(clinician.code, clinician.err).toBe(0);
  const secret = /client_secret=(\S+)/.exec(clinician.out)?.[1] as string;
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const clinicianId = /client_id=(\S+)/.exec(clinician.out)?.[1] as string;

  const store = await openStore((database as TestDatabase).url);
  try {
    const stored = await store.accounts.getApp(clinicianId);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(createSecretBox(TEST_SECRET_KEY).open(stored?.sealedSecret as string)).toBe(secret);
  } finally {
    await store.close();
  }

  const listed = await careloop('list');
  expect(listed.out).toContain('Heart failure coach\tpublic\tlaunch/patient openid fhirUser patient/*.rs');
  expect(listed.out).toContain('Cardiology viewer\tconfidential (secret)');
  expect(listed.out).not.toContain(secret);
  expect((await careloop('remove', clinicianId)).code).toBe(0);
  expect((await careloop('list')).out).not.toContain('Cardiology viewer');
  expect((await careloop('remove', clinicianId)).code).toBe(1);
});

it.each([
  [['--name', 'Web', '--redirect-uri', 'http://web.example.org/cb'], /only https, or http to localhost/],
  [
    ['--name', 'Web', '--public', '--redirect-uri', 'https://w.example.org/cb', '--scope', 'system/*.rs'],
    /confidential/,
  ],
  [['--name', 'Web'], /at least one redirect URI/],
  [['--redirect-uri', 'https://w.example.org/cb'], /usage: careloop app add/],
])('refuses %j', async (args, message) => {
  const result = await careloop('add', ...args);
  expect(result.code).toBeGreaterThan(0);
  expect(result.err).toMatch(message);
});
