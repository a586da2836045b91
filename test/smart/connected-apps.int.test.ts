// Consent is remembered per user, app and patient, listed as the user's connected apps, and can be
// withdrawn, which ends the app's access at once. Attacked: another user withdrawing it, the app
// itself listing or withdrawing with the user's app token, asking for more than was allowed.
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HAROLD, startDemoServer, tokenOf } from '../security/demo-server.js';
import { launchAsUser } from '../support/smart-launch-flow.js';
import { challengeOf, exchangeCode, newVerifier, registerTestApp } from '../support/smart-test-app.js';
import type { TestServer } from '../support/test-server.js';

const REDIRECT = 'https://steps.example.org/callback';
const SCOPE = 'launch/patient openid fhirUser patient/Observation.rs';
let server: TestServer;
let appId: string;
beforeAll(async () => {
  server = await startDemoServer();
  appId = (
    await registerTestApp(server, {
      name: 'Step counter',
      public: true,
      redirectUris: [REDIRECT],
      scope: `${SCOPE} patient/Patient.rs`,
    })
  ).app.id;
});
afterAll(() => server?.close());

const app = () => ({ clientId: appId, redirectUri: REDIRECT, scope: SCOPE });

/** Launches as the patient and exchanges the code: the consent screen seen, and the app's token. */
async function connect(scope = SCOPE) {
  const verifier = newVerifier();
  const { consent, callback } = await launchAsUser(server, app(), 'patient', {
    scope,
    code_challenge: challengeOf(verifier),
  });
  const token = await exchangeCode(server, {
    code: callback?.searchParams.get('code') as string,
    verifier,
    clientId: appId,
    redirectUri: REDIRECT,
  });
  expect(token.status, JSON.stringify(token.body)).toBe(200);
  return { consent, token: token.body.access_token as string };
}

const reads = async (token: string) =>
  (
    await fetch(`${server.fhir}/Observation?patient=${HAROLD}&_count=1`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).status;
const call = async (user: string | { token: string }, method: string, path = '') =>
  fetch(`${server.url}/auth/smart/consents${path}`, {
    method,
    headers: { authorization: `Bearer ${typeof user === 'string' ? await tokenOf(server, user) : user.token}` },
  });

it('asks once, remembers, lists, and ends the access when withdrawn', async () => {
  const first = await connect();
  expect(first.consent?.remembered).toBeUndefined();
  const again = await connect();
  expect(again.consent?.remembered?.since).toBeGreaterThan(0);
  // The same grant goes on: the first token still works.
  expect(await reads(first.token)).toBe(200);

  const listed = (await (await call('patient', 'GET')).json()) as {
    apps: { grantId: string; app: string; patient?: { name: string }; allows: string[] }[];
  };
  expect(listed.apps).toHaveLength(1);
  const [connected] = listed.apps;
  expect(connected).toMatchObject({ app: 'Step counter', patient: { name: expect.stringContaining('Harold') } });
  expect(connected?.allows).toContain("Read observation records of the patient's record");

  // Not another user's to see or withdraw; not the app's own to list or withdraw.
  expect(((await (await call('caregiver', 'GET')).json()) as { apps: unknown[] }).apps).toEqual([]);
  expect((await call('caregiver', 'DELETE', `/${connected?.grantId}`)).status).toBe(404);
  expect((await call({ token: again.token }, 'GET')).status).toBe(403);
  expect((await call({ token: again.token }, 'DELETE', `/${connected?.grantId}`)).status).toBe(403);

  expect((await call('patient', 'DELETE', `/${connected?.grantId}`)).status).toBe(204);
  expect(await reads(first.token)).toBe(401);
  expect(await reads(again.token)).toBe(401);
  expect(((await (await call('patient', 'GET')).json()) as { apps: unknown[] }).apps).toEqual([]);
  expect((await call('patient', 'DELETE', `/${connected?.grantId}`)).status).toBe(404);
  // Withdrawn: the next launch asks again.
  expect((await connect()).consent?.remembered).toBeUndefined();

  const admin = await tokenOf(server, 'admin');
  const audit = (await (
    await fetch(`${server.fhir}/AuditEvent?_count=200`, { headers: { authorization: `Bearer ${admin}` } })
  ).json()) as Bundle<AuditEvent>;
  const withdrawals = (audit.entry ?? []).filter(
    (e) => e.resource?.action === 'D' && JSON.stringify(e.resource?.entity ?? []).includes('consents'),
  );
  expect(withdrawals.length).toBeGreaterThanOrEqual(2);
});

it('asks again when the app wants more than was allowed, and the new consent replaces the old', async () => {
  const narrow = await connect();
  const wider = await connect(`${SCOPE} patient/Patient.rs`);
  expect(wider.consent?.remembered).toBeUndefined();
  expect(await reads(wider.token)).toBe(200);
  // One consent per user, app and patient: the narrower one and its tokens are gone.
  expect(await reads(narrow.token)).toBe(401);
  const listed = (await (await call('patient', 'GET')).json()) as { apps: { allows: string[] }[] };
  expect(listed.apps).toHaveLength(1);
  expect(listed.apps[0]?.allows).toContain("Read patient records of the patient's record");
});
