// A user's token as a SMART app holds it: one public app per server, registered for every scope, a
// standalone launch asking for the widest the user's role allows (a patient's own record; a
// caregiver's first patient, Harold), approved, and the code exchanged.
import { expect } from 'vitest';
import { HAROLD } from '../security/demo-server.js';
import { launchAsUser } from './smart-launch-flow.js';
import { challengeOf, exchangeCode, newVerifier, registerTestApp } from './smart-test-app.js';
import type { TestServer } from './test-server.js';

const REDIRECT = 'https://everything.example.org/callback';
const registered = new WeakMap<TestServer, Promise<string>>();

const appOf = (server: TestServer): Promise<string> => {
  let app = registered.get(server);
  if (!app) {
    app = registerTestApp(server, {
      name: 'Access test app',
      public: true,
      redirectUris: [REDIRECT],
      scope: 'launch/patient openid fhirUser user/*.cruds patient/*.cruds',
    }).then((r) => r.app.id);
    registered.set(server, app);
  }
  return app;
};

/** The scope an app asks of this user: a patient's and a caregiver's record, or a clinician's whole reach. */
const scopeFor = (user: string) =>
  user === 'patient' || user === 'caregiver'
    ? 'launch/patient openid fhirUser patient/*.cruds'
    : 'openid fhirUser user/*.cruds';

export async function appTokenOf(server: TestServer, user: string): Promise<string> {
  const clientId = await appOf(server);
  const verifier = newVerifier();
  const scope = scopeFor(user);
  const launched = await launchAsUser(
    server,
    { clientId, redirectUri: REDIRECT, scope },
    user,
    { code_challenge: challengeOf(verifier) },
    'approve',
    user === 'caregiver' ? `Patient/${HAROLD}` : undefined,
  );
  expect(launched.callback, `${user}: ${launched.refused}`).toBeDefined();
  const token = await exchangeCode(server, {
    code: launched.callback?.searchParams.get('code') as string,
    verifier,
    clientId,
    redirectUri: REDIRECT,
  });
  expect(token.status, JSON.stringify(token.body)).toBe(200);
  return token.body.access_token as string;
}
