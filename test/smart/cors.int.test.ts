// A browser app on its own origin calls the FHIR API and the token endpoint (CORS): a registered
// app's origin may, without cookies; an origin no app is registered at may not; an operator's own
// front end (CARELOOP_CORS_ORIGINS) may, with cookies.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerTestApp } from '../support/smart-test-app.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const APP = 'https://diary.example.org';
const FRONT = 'https://front.example.org';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ corsOrigins: [FRONT] });
  await registerTestApp(server, {
    name: 'Diary',
    public: true,
    redirectUris: [`${APP}/callback`],
    scope: 'launch/patient patient/Observation.rs',
  });
  await registerTestApp(server, {
    name: 'Withdrawn',
    public: true,
    redirectUris: ['https://gone.example.org/callback'],
    scope: 'launch/patient patient/Observation.rs',
  }).then(({ app }) => server.store.accounts.disableApp(app.id));
});
afterAll(() => server?.close());

const preflight = (path: string, origin: string) =>
  fetch(`${server.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  });

it.each([
  ['/fhir/metadata', APP, APP, null],
  ['/fhir/.well-known/smart-configuration', APP, APP, null],
  ['/fhir/Observation?_count=1', APP, APP, null],
  ['/fhir/metadata', 'https://evil.example.org', null, null],
  ['/fhir/metadata', 'https://gone.example.org', null, null],
  // An app's origin reaches the FHIR API only, not Careloop's own session endpoints.
  ['/auth/me', APP, null, null],
  ['/fhir/metadata', FRONT, FRONT, 'true'],
])('GET %s from %s: allowed origin %s, credentials %s', async (path, origin, allowed, credentials) => {
  const res = await fetch(`${server.url}${path}`, { headers: { origin } });
  expect(res.headers.get('access-control-allow-origin')).toBe(allowed);
  expect(res.headers.get('access-control-allow-credentials')).toBe(credentials);
});

it('answers the preflight of a registered app, and not of another origin', async () => {
  const ok = await preflight('/fhir/Observation', APP);
  expect(ok.status).toBe(204);
  expect(ok.headers.get('access-control-allow-origin')).toBe(APP);
  expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  const refused = await preflight('/fhir/Observation', 'https://evil.example.org');
  expect(refused.headers.get('access-control-allow-origin')).toBeNull();
});

it('the token endpoint answers the app at its registered origin, and refuses it elsewhere', async () => {
  const { app } = await registerTestApp(server, {
    name: 'Token caller',
    public: true,
    redirectUris: [`${APP}/other-callback`],
    scope: 'launch/patient patient/Observation.rs',
  });
  const exchange = (origin: string) =>
    fetch(`${server.url}/auth/smart/token`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'nope', client_id: app.id }),
    });
  const fromApp = await exchange(APP);
  expect(fromApp.headers.get('access-control-allow-origin')).toBe(APP);
  expect(((await fromApp.json()) as { error: string }).error).toBe('invalid_grant');
  const elsewhere = await exchange('https://evil.example.org');
  expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  expect(((await elsewhere.json()) as { error: string }).error).toBe('invalid_request');
});
