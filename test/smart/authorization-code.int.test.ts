// SMART App Launch 2.x, standalone launch, over HTTP as a browser and an app would speak it: the
// app sends the user to /auth/smart/authorize with PKCE S256 and `aud`; the user signs in to
// Careloop and approves; the app exchanges the code (once) for a token with `patient` and reads
// that patient's records. Each rule is attacked: no PKCE, `plain`, a wrong redirect URI (an error
// page, never a redirect), a wrong `aud`, a replayed code, a wrong verifier, a declined consent.
import type { Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { HAROLD, OLIVER, ROSA, startDemoServer, tokenOf } from '../security/demo-server.js';
import { cookieBrowser, launchAsUser, launchUrl } from '../support/smart-launch-flow.js';
import { challengeOf, exchangeCode, newVerifier, registerTestApp } from '../support/smart-test-app.js';
import type { TestServer } from '../support/test-server.js';

const REDIRECT = 'https://coach.example.org/callback';
let server: TestServer;
let appId: string;
beforeAll(async () => {
  server = await startDemoServer();
  appId = (
    await registerTestApp(server, {
      name: 'Heart failure coach',
      public: true,
      redirectUris: [REDIRECT],
      scope: 'launch/patient openid fhirUser offline_access online_access patient/Observation.rs patient/Patient.rs',
    })
  ).app.id;
});
afterAll(async () => {
  await server?.close();
});

const verifier = newVerifier;
const app = () => ({
  clientId: appId,
  redirectUri: REDIRECT,
  scope: 'launch/patient openid fhirUser patient/Observation.rs',
});
const launch = (
  user: string,
  params: Record<string, string | undefined>,
  answer: 'approve' | 'decline' = 'approve',
  patient?: string,
) => launchAsUser(server, app(), user, params, answer, patient);

const exchange = (code: string, codeVerifier: string) =>
  exchangeCode(server, { code, verifier: codeVerifier, clientId: appId, redirectUri: REDIRECT });

it('a patient launches the app, consents in plain words, and it reads their own records only', async () => {
  const v = verifier();
  const { consent, callback } = await launch('patient', { code_challenge: challengeOf(v) });
  expect(consent?.app).toBe('Heart failure coach');
  expect(consent?.scopes.map((s) => s.words)).toContain("Read observation records of the patient's record");
  expect(callback?.searchParams.get('state')).toBe('st-1');
  const code = callback?.searchParams.get('code') as string;
  const token = await exchange(code, v);
  expect(token.status, JSON.stringify(token.body)).toBe(200);
  expect(token.body).toMatchObject({ token_type: 'Bearer', patient: HAROLD });
  expect(token.body.scope).toContain('patient/Observation.rs');
  expect(token.body.scope).not.toContain('patient/Patient.rs');
  const auth = { authorization: `Bearer ${token.body.access_token}` };
  const mine = await fetch(`${server.fhir}/Observation?patient=${HAROLD}&_count=5`, { headers: auth });
  expect(mine.status).toBe(200);
  expect(((await mine.json()) as Bundle).entry?.length).toBeGreaterThan(0);
  const other = await fetch(`${server.fhir}/Observation?patient=${ROSA}&_count=5`, { headers: auth });
  // Another patient's records are outside the token: none are returned.
  expect(other.status).toBe(200);
  expect(((await other.json()) as Bundle).entry ?? []).toEqual([]);
  // The code works once.
  expect(await exchange(code, v)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
});

it('refuses a code past its 60 seconds', async () => {
  const v = verifier();
  const { callback } = await launch('patient', { code_challenge: challengeOf(v) });
  // oidc-provider reads the wall clock for a code's life: it is moved, not waited for.
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
  try {
    expect(await exchange(callback?.searchParams.get('code') as string, v)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
  } finally {
    vi.useRealTimers();
  }
});

it('refuses a launch without PKCE or with plain, a wrong verifier, and a wrong aud', async () => {
  const noPkce = await launch('patient', { code_challenge_method: undefined });
  expect(noPkce.start.status).toBe(303);
  expect(new URL(noPkce.start.headers.get('location') as string).searchParams.get('error')).toBe('invalid_request');
  const v = verifier();
  const plain = await launch('patient', { code_challenge: v, code_challenge_method: 'plain' });
  expect(new URL(plain.start.headers.get('location') as string).searchParams.get('error')).toBe('invalid_request');
  const wrongAud = await launch('patient', { code_challenge: challengeOf(v), aud: 'https://other.example.org/fhir' });
  expect(new URL(wrongAud.start.headers.get('location') as string).searchParams.get('error')).toBe('invalid_request');
  const { callback } = await launch('patient', { code_challenge: challengeOf(v) });
  const wrong = await exchange(callback?.searchParams.get('code') as string, verifier());
  expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
});

it('shows an error page and never redirects to a redirect URI that is not registered', async () => {
  const res = await cookieBrowser().get(
    launchUrl(server, app(), {
      redirect_uri: 'https://evil.example.org/callback',
      code_challenge: challengeOf(verifier()),
    }),
  );
  expect(res.status).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  const page = await res.text();
  expect(page).toContain('redirect_uri');
  // An app id that does not exist reads exactly the same: the page does not say which apps exist.
  const unknown = await cookieBrowser().get(
    launchUrl(server, { ...app(), clientId: 'no-such-app' }, { code_challenge: challengeOf(verifier()) }),
  );
  expect(unknown.status).toBe(400);
  expect(await unknown.text()).toBe(page);
});

it('a declined consent tells the app access_denied, with its state', async () => {
  const { callback } = await launch('patient', { code_challenge: challengeOf(verifier()) }, 'decline');
  expect(callback?.searchParams.get('error')).toBe('access_denied');
  expect(callback?.searchParams.get('state')).toBe('st-1');
});

it('with openid fhirUser offline_access: an id_token naming the user, and a refresh token that works once', async () => {
  const v = verifier();
  const { callback } = await launch('patient', {
    code_challenge: challengeOf(v),
    scope: 'launch/patient openid fhirUser offline_access patient/Observation.rs',
  });
  const token = await exchange(callback?.searchParams.get('code') as string, v);
  expect(token.status, JSON.stringify(token.body)).toBe(200);
  const [, payload] = (token.body.id_token as string).split('.');
  const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString()) as Record<string, unknown>;
  expect(claims).toMatchObject({ iss: server.url, aud: appId, fhirUser: `Patient/${HAROLD}` });
  // As SMART App Launch 2.x writes a public app's refresh (and fhirclient sends it): no client_id.
  const refresh = async (refreshToken: string, client: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}/auth/smart/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, ...client }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  const renewed = await refresh(token.body.refresh_token as string);
  expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
  expect(renewed.body).toMatchObject({ patient: HAROLD });
  expect(renewed.body.scope?.split(' ')).toEqual(
    expect.arrayContaining(['openid', 'offline_access', 'patient/Observation.rs']),
  );
  const read = await fetch(`${server.fhir}/Observation?patient=${HAROLD}&_count=1`, {
    headers: { authorization: `Bearer ${renewed.body.access_token}` },
  });
  expect(read.status).toBe(200);
  // A public app's refresh token is rotated: the old one is refused.
  expect((await refresh(token.body.refresh_token as string)).body.error).toBe('invalid_grant');
  expect((await refresh(token.body.refresh_token as string, { client_id: appId })).body.error).toBe('invalid_grant');
  // Named for another client, the new refresh token is refused.
  expect((await refresh(renewed.body.refresh_token as string, { client_id: 'another-app' })).status).toBe(401);
});

it('a caregiver chooses whose record the app is for; the token reaches that patient only', async () => {
  const unchosen = await launch('caregiver', { code_challenge: challengeOf(verifier()) });
  expect(unchosen.consent?.patients.map((p) => p.name).sort()).toEqual(['Harold Brennan', 'Rosa Delgado']);
  expect(unchosen.refused).toBe(400);
  const v = verifier();
  const { callback } = await launch(
    'caregiver',
    { code_challenge: challengeOf(v), scope: 'launch/patient openid fhirUser patient/Patient.rs' },
    'approve',
    `Patient/${ROSA}`,
  );
  const token = await exchange(callback?.searchParams.get('code') as string, v);
  expect(token.body.patient).toBe(ROSA);
  const auth = { authorization: `Bearer ${token.body.access_token}` };
  expect((await fetch(`${server.fhir}/Patient/${ROSA}`, { headers: auth })).status).toBe(200);
  // Harold is the caregiver's too, but not this launch's patient.
  expect([403, 404]).toContain((await fetch(`${server.fhir}/Patient/${HAROLD}`, { headers: auth })).status);
  const all = (await (await fetch(`${server.fhir}/Patient`, { headers: auth })).json()) as Bundle;
  expect(all.entry?.map((e) => e.resource?.id)).toEqual([ROSA]);
  // A patient the caregiver does not act for cannot be chosen.
  const stranger = await launch(
    'caregiver',
    { code_challenge: challengeOf(verifier()) },
    'approve',
    'Patient/demo-walter-kim',
  );
  expect(stranger.refused).toBe(400);
});

it('SMART v1 scope syntax: patient/Observation.read is granted as registered, and reads', async () => {
  const { app } = await registerTestApp(server, {
    name: 'Older app',
    public: true,
    redirectUris: [REDIRECT],
    scope: 'launch/patient patient/Observation.read',
  });
  const previous = appId;
  appId = app.id;
  try {
    const v = verifier();
    const { callback } = await launch('patient', {
      code_challenge: challengeOf(v),
      scope: 'launch/patient patient/Observation.read',
    });
    const token = await exchange(callback?.searchParams.get('code') as string, v);
    expect(token.body.scope?.split(' ')).toContain('patient/Observation.read');
    const res = await fetch(`${server.fhir}/Observation?patient=${HAROLD}&_count=1`, {
      headers: { authorization: `Bearer ${token.body.access_token}` },
    });
    expect(((await res.json()) as Bundle).entry?.length).toBe(1);
  } finally {
    appId = previous;
  }
});

it("a clinician's standalone launch: they find the patient among their own; the token is for that one", async () => {
  const v = verifier();
  const b = cookieBrowser();
  const start = await b.get(launchUrl(server, app(), { code_challenge: challengeOf(v) }));
  const interaction = new URL(start.headers.get('location') as string, server.url).toString();
  const coordinator = { authorization: `Bearer ${await tokenOf(server, 'coordinator')}` };
  const details = (await (await b.get(`${interaction}/details`, coordinator)).json()) as {
    findPatient: boolean;
    patients: unknown[];
  };
  expect(details).toMatchObject({ findPatient: true, patients: [] });
  // Not chosen, or not theirs to open: refused.
  expect((await b.post(`${interaction}/approve`, {}, coordinator)).status).toBe(400);
  expect((await b.post(`${interaction}/approve`, { patient: `Patient/${OLIVER}` }, coordinator)).status).toBe(403);
  const approved = await b.post(`${interaction}/approve`, { patient: `Patient/${HAROLD}` }, coordinator);
  expect(approved.status).toBe(200);
  let res = await b.get(((await approved.json()) as { redirectTo: string }).redirectTo);
  while (!(res.headers.get('location') as string).startsWith(REDIRECT))
    res = await b.get(new URL(res.headers.get('location') as string, server.url).toString());
  const token = await exchange(new URL(res.headers.get('location') as string).searchParams.get('code') as string, v);
  expect(token.body).toMatchObject({ patient: HAROLD });
  const auth = { authorization: `Bearer ${token.body.access_token}` };
  const harold = await fetch(`${server.fhir}/Observation?patient=${HAROLD}&_count=1`, { headers: auth });
  expect(((await harold.json()) as Bundle).entry?.length).toBe(1);
  // Rosa is on the coordinator's panel, but the app was given Harold.
  const rosa = await fetch(`${server.fhir}/Observation?patient=${ROSA}&_count=1`, { headers: auth });
  expect(((await rosa.json()) as Bundle).entry ?? []).toEqual([]);
});

it('answers at /auth/authorize and /auth/token too, as apps configured by hand expect', async () => {
  const redirected = await fetch(`${server.url}/auth/authorize?client_id=x&scope=openid`, { redirect: 'manual' });
  expect(redirected.status).toBe(307);
  expect(redirected.headers.get('location')).toBe('/auth/smart/authorize?client_id=x&scope=openid');
  const v = verifier();
  const { callback } = await launch('patient', {
    scope: 'launch/patient openid fhirUser offline_access patient/Observation.rs',
    code_challenge: challengeOf(v),
  });
  const post = (body: Record<string, string>) =>
    fetch(`${server.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, string> }));
  const token = await post({
    grant_type: 'authorization_code',
    code: callback?.searchParams.get('code') as string,
    redirect_uri: REDIRECT,
    client_id: appId,
    code_verifier: v,
  });
  expect(token.status, JSON.stringify(token.body)).toBe(200);
  expect(token.body).toMatchObject({ patient: HAROLD, token_type: 'Bearer' });
  const renewed = await post({ grant_type: 'refresh_token', refresh_token: token.body.refresh_token as string });
  expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
  expect(renewed.body.patient).toBe(HAROLD);
  // Careloop's own grants are unchanged there: a wrong Careloop refresh token is still its own error.
  expect((await post({ grant_type: 'refresh_token', refresh_token: 'session.secret' })).body.error).toBe(
    'invalid_grant',
  );
});

it('online_access gives a refresh token too (for as long as the user would stay signed in)', async () => {
  const v = verifier();
  const { callback } = await launch('patient', {
    scope: 'launch/patient openid fhirUser online_access patient/Observation.rs',
    code_challenge: challengeOf(v),
  });
  const token = await exchange(callback?.searchParams.get('code') as string, v);
  expect(token.status, JSON.stringify(token.body)).toBe(200);
  expect(token.body.refresh_token).toBeTruthy();
  expect(token.body.scope?.split(' ')).toContain('online_access');
  const renewed = await fetch(`${server.url}/auth/smart/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.body.refresh_token as string }),
  });
  expect(renewed.status).toBe(200);
});

it('a user who has not yet given a required second factor cannot allow an app', async () => {
  const admin = { authorization: `Bearer ${await tokenOf(server, 'admin')}`, 'content-type': 'application/json' };
  const policy = (requiredRoles: string[]) =>
    fetch(`${server.url}/auth/admin/mfa-policy`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ requiredRoles }),
    });
  expect((await policy(['caregiver'])).status).toBe(200);
  try {
    // The caregiver's sign-in now only opens second-factor enrolment: the consent step refuses it.
    const result = await launch(
      'caregiver',
      { code_challenge: challengeOf(verifier()) },
      'approve',
      `Patient/${HAROLD}`,
    );
    expect(result.refused).toBe(403);
    expect(result.callback).toBeUndefined();
  } finally {
    await policy([]);
  }
});
