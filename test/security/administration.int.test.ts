// The administrator acts on users and apps over HTTP (the admin page's API): creates a user with a
// role and the FHIR resource they are, resets a password (their sessions end), unlocks, requires a
// second factor by role, registers an app (its secret once) and takes it out of service. Each change
// is in the audit log. Every other role trying the same is refused, and changes nothing.
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/cli/demo/seed-demo.js';
import { bearer, http, type TestServer } from '../support/test-server.js';
import { HAROLD, login, startDemoServer, tokenOf } from './demo-server.js';

let server: TestServer;
let admin: Record<string, string>;
beforeAll(async () => {
  server = await startDemoServer();
  admin = bearer(await tokenOf(server, 'admin'));
});
afterAll(() => server?.close());

const NEW_PASSWORD = 'a-long-new-passphrase-42';

it('creates a user with a role and a FHIR resource, who signs in and is that resource', async () => {
  const created = await http(
    'POST',
    `${server.url}/auth/admin/users`,
    {
      username: 'nurse-ava',
      password: NEW_PASSWORD,
      role: 'coordinator',
      practitioner: 'Practitioner/demo-coordinator',
    },
    admin,
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const signedIn = await login(server, 'nurse-ava', NEW_PASSWORD);
  expect(signedIn.status).toBe(200);
  const me = await http<{ fhirUser?: string }>(
    'GET',
    `${server.url}/auth/me`,
    undefined,
    bearer(signedIn.body.access_token as string),
  );
  expect(me.body.fhirUser).toBe('Practitioner/demo-coordinator');
});

it('resets a password: the old one and the sessions it opened stop working', async () => {
  const before = await login(server, 'pharmacist', DEMO_PASSWORD);
  const token = before.body.access_token as string;
  const reset = await http(
    'POST',
    `${server.url}/auth/admin/users/pharmacist/password`,
    { password: NEW_PASSWORD },
    admin,
  );
  expect(reset.status).toBe(204);
  expect((await login(server, 'pharmacist', DEMO_PASSWORD)).status).toBe(401);
  expect((await login(server, 'pharmacist', NEW_PASSWORD)).status).toBe(200);
  expect((await http('GET', `${server.fhir}/Patient/${HAROLD}`, undefined, bearer(token))).status).toBe(401);
  // A weak password is refused with the reason.
  const weak = await http<{ issue: { diagnostics: string }[] }>(
    'POST',
    `${server.url}/auth/admin/users/pharmacist/password`,
    { password: 'short' },
    admin,
  );
  expect(weak.status).toBe(400);
  expect(weak.body.issue[0]?.diagnostics).toBeTruthy();
});

it('registers an app (its secret shown once), lists it, and takes it out of service', async () => {
  const added = await http<{ id: string; secret?: string; kind: string }>(
    'POST',
    `${server.url}/auth/admin/apps`,
    {
      name: 'Care navigator',
      redirectUris: ['https://navigator.example.org/callback'],
      launchUri: 'https://navigator.example.org/launch',
      scope: 'launch openid fhirUser user/Patient.rs',
    },
    admin,
  );
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  expect(added.body.secret).toMatch(/^.{32,}$/);
  expect(added.body.kind).toBe('confidential (secret)');
  const listed = await http<{ apps: Record<string, unknown>[] }>(
    'GET',
    `${server.url}/auth/admin/apps`,
    undefined,
    admin,
  );
  const shown = listed.body.apps.find((a) => a.id === added.body.id);
  expect(shown).toMatchObject({ name: 'Care navigator' });
  expect(JSON.stringify(listed.body)).not.toContain(added.body.secret as string);
  const bad = await http(
    'POST',
    `${server.url}/auth/admin/apps`,
    { name: 'Bad', redirectUris: ['http://evil.example.org/cb'] },
    admin,
  );
  expect(bad.status).toBe(400);
  expect((await http('DELETE', `${server.url}/auth/admin/apps/${added.body.id}`, undefined, admin)).status).toBe(204);
  expect((await http('DELETE', `${server.url}/auth/admin/apps/${added.body.id}`, undefined, admin)).status).toBe(404);
  const after = await http<{ apps: { id: string }[] }>('GET', `${server.url}/auth/admin/apps`, undefined, admin);
  expect(after.body.apps.map((a) => a.id)).not.toContain(added.body.id);
});

it.each(['coordinator', 'pcp', 'pharmacist', 'foodbank', 'patient', 'caregiver'])(
  'refuses %s every administrator action',
  async (user) => {
    // The pharmacist's password was reset above.
    const signedIn = await login(server, user, user === 'pharmacist' ? NEW_PASSWORD : DEMO_PASSWORD);
    const token = bearer(signedIn.body.access_token);
    const attempts = [
      http('GET', `${server.url}/auth/admin/users`, undefined, token),
      http(
        'POST',
        `${server.url}/auth/admin/users`,
        { username: `x-${user}`, password: NEW_PASSWORD, role: 'admin' },
        token,
      ),
      http('POST', `${server.url}/auth/admin/users/${user}/password`, { password: NEW_PASSWORD }, token),
      http('POST', `${server.url}/auth/admin/users/coordinator/unlock`, undefined, token),
      http('PUT', `${server.url}/auth/admin/mfa-policy`, { requiredRoles: [] }, token),
      http('GET', `${server.url}/auth/admin/apps`, undefined, token),
      http(
        'POST',
        `${server.url}/auth/admin/apps`,
        { name: 'Mine', redirectUris: ['https://mine.example.org/cb'] },
        token,
      ),
    ];
    expect((await Promise.all(attempts)).map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403]);
    expect((await login(server, `x-${user}`, NEW_PASSWORD)).status).toBe(401);
  },
);

it('records each change in the audit log', async () => {
  const res = await http<Bundle<AuditEvent>>('GET', `${server.fhir}/AuditEvent?_count=500`, undefined, admin);
  const admins = (res.body.entry ?? [])
    .map((e) => e.resource as AuditEvent)
    .filter((e) => e.agent[0]?.who?.display === 'admin' && e.action !== 'R' && e.action !== 'E');
  const paths = admins.map((e) => `${e.action} ${JSON.stringify(e.entity ?? [])}`).join('\n');
  expect(paths).toMatch(/C .*auth\/admin\/users/);
  expect(paths).toMatch(/U .*users\/pharmacist\/password/);
  expect(paths).toMatch(/C .*auth\/admin\/apps/);
  expect(paths).toMatch(/D .*auth\/admin\/apps\//);
});
