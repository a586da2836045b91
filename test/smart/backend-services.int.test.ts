// SMART Backend Services (hl7.org/fhir/smart-app-launch/backend-services.html) against the real
// server: a registered service signs its assertion with its own key (ES384, RS384) and gets a
// system token; the token reads the FHIR API within its scope. Each rule is attacked: a replayed
// assertion id, an assertion too far ahead, a key not registered, a scope not registered, a removed
// app, a public client asking for system scopes.
import type { Bundle } from '@medplum/fhirtypes';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDemoServer } from '../security/demo-server.js';
import { registerTestApp } from '../support/smart-test-app.js';
import type { TestServer } from '../support/test-server.js';

let server: TestServer;
let tokenUrl: string;
beforeAll(async () => {
  server = await startDemoServer();
  tokenUrl = `${server.url}/auth/smart/token`;
});
afterAll(async () => {
  await server?.close();
});

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

async function service(alg: 'ES384' | 'RS384', scope = 'system/*.rs') {
  const keys = await generateKeyPair(alg, { extractable: true });
  const jwk: JWK = { ...(await exportJWK(keys.publicKey)), alg, kid: `${alg}-1` };
  const { app } = await registerTestApp(server, {
    name: `Payer sync ${alg}`,
    redirectUris: [],
    scope,
    jwks: JSON.stringify({ keys: [jwk] }),
  });
  return { id: app.id, keys, alg };
}

const assertion = (client: { id: string; keys: KeyPair; alg: string }, claims: { jti?: string; expIn?: number } = {}) =>
  new SignJWT({})
    .setProtectedHeader({ alg: client.alg, kid: `${client.alg}-1`, typ: 'JWT' })
    .setIssuer(client.id)
    .setSubject(client.id)
    .setAudience(tokenUrl)
    .setJti(claims.jti ?? crypto.randomUUID())
    .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expIn ?? 240))
    .sign(client.keys.privateKey);

const requestToken = async (clientAssertion: string, scope = 'system/*.rs') => {
  const res = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: clientAssertion,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
};

it.each(['ES384', 'RS384'] as const)('a %s-signed assertion gets a system token that reads the API', async (alg) => {
  const client = await service(alg);
  const granted = await requestToken(await assertion(client));
  expect(granted.status, JSON.stringify(granted.body)).toBe(200);
  expect(granted.body).toMatchObject({ token_type: 'Bearer', scope: 'system/*.rs' });
  const patients = await fetch(`${server.fhir}/Patient?_count=3`, {
    headers: { authorization: `Bearer ${granted.body.access_token}` },
  });
  expect(patients.status).toBe(200);
  expect(((await patients.json()) as Bundle).entry?.length).toBe(3);
  // Read-only: its token cannot write.
  const write = await fetch(`${server.fhir}/Patient`, {
    method: 'POST',
    headers: { authorization: `Bearer ${granted.body.access_token}`, 'content-type': 'application/fhir+json' },
    body: JSON.stringify({ resourceType: 'Patient' }),
  });
  expect(write.status).toBe(403);
});

it('refuses a replayed assertion id, an assertion more than five minutes ahead, and an unregistered key', async () => {
  const client = await service('ES384');
  const once = await assertion(client, { jti: 'same-jti' });
  expect((await requestToken(once)).status).toBe(200);
  const replayed = await requestToken(await assertion(client, { jti: 'same-jti' }));
  expect(replayed).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  const far = await requestToken(await assertion(client, { expIn: 600 }));
  expect(far).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  const stranger = { ...client, keys: await generateKeyPair('ES384') };
  expect((await requestToken(await assertion(stranger))).status).toBe(401);

  // Each grant and each refusal is in the audit log, with the app and the OAuth error, never the
  // assertion or the token.
  const entries = [];
  for await (const e of server.store.audit.scan())
    if (e.entry.kind === 'smart' && e.entry.clientId === client.id) entries.push(e.entry);
  expect(entries.map((e) => [e.entity, e.status, e.detail])).toEqual([
    ['auth/smart/token', 200, undefined],
    ['auth/smart/token', 400, 'invalid_client'],
    ['auth/smart/token', 400, 'invalid_client'],
    ['auth/smart/token', 400, 'invalid_client'],
  ]);
  expect(JSON.stringify(entries)).not.toContain(once);
});

it('grants no scope beyond the registration, and a removed app gets nothing and its tokens stop', async () => {
  const client = await service('ES384', 'system/Patient.rs');
  const wider = await requestToken(await assertion(client), 'system/*.cruds');
  expect(wider).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
  const granted = await requestToken(await assertion(client), 'system/Patient.rs');
  expect(granted.status).toBe(200);
  const observations = await fetch(`${server.fhir}/Observation?_count=1`, {
    headers: { authorization: `Bearer ${granted.body.access_token}` },
  });
  expect(observations.status).toBe(403);
  await server.store.accounts.disableApp(client.id);
  const after = await fetch(`${server.fhir}/Patient?_count=1`, {
    headers: { authorization: `Bearer ${granted.body.access_token}` },
  });
  expect(after.status).toBe(401);
  expect((await requestToken(await assertion(client), 'system/Patient.rs')).status).toBe(401);
});

it('a backend service runs a Bulk Data export with its token, and the discovery names what it used', async () => {
  const discovery = (await (await fetch(`${server.url}/.well-known/smart-configuration`)).json()) as Record<
    string,
    unknown
  >;
  expect(discovery.token_endpoint).toBe(tokenUrl);
  expect(discovery.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
  expect(discovery.capabilities).toContain('client-confidential-asymmetric');
  const keys = (await (await fetch(discovery.jwks_uri as string)).json()) as { keys: JWK[] };
  expect(keys.keys[0]).toMatchObject({ kty: 'EC', alg: 'ES384' });
  expect(keys.keys[0]).not.toHaveProperty('d');

  const client = await service('ES384', 'system/*.rs');
  const granted = await requestToken(await assertion(client), 'system/*.rs');
  expect(granted.status).toBe(200);
  const bearer = { authorization: `Bearer ${granted.body.access_token}` };
  const kick = await fetch(`${server.fhir}/$export?_type=Patient,Observation`, {
    headers: { ...bearer, prefer: 'respond-async' },
  });
  expect(kick.status, await kick.clone().text()).toBe(202);
  const status = kick.headers.get('content-location') as string;
  let done: Response | undefined;
  for (let i = 0; i < 100 && (!done || done.status === 202); i++) {
    if (done) await new Promise((r) => setTimeout(r, 100));
    done = await fetch(status, { headers: bearer });
  }
  expect(done?.status).toBe(200);
  const manifest = (await (done as Response).json()) as { output: { type: string; count: number }[] };
  expect(manifest.output.map((o) => o.type).sort()).toEqual(['Observation', 'Patient']);
  expect(manifest.output.every((o) => o.count > 0)).toBe(true);
});

it('a service with a secret: its token introspects as active, and once revoked it stops at once', async () => {
  const registered = await registerTestApp(server, {
    name: 'Interface engine',
    redirectUris: [],
    scope: 'system/*.rs',
  });
  expect(registered.secret).toBeDefined();
  const basic = `Basic ${Buffer.from(`${registered.app.id}:${registered.secret ?? ''}`).toString('base64')}`;
  const form = (url: string, body: Record<string, string>, authorization = basic) =>
    fetch(url, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });
  const wrong = await form(
    tokenUrl,
    { grant_type: 'client_credentials', scope: 'system/*.rs' },
    `Basic ${Buffer.from(`${registered.app.id}:not-the-secret`).toString('base64')}`,
  );
  expect(wrong.status).toBe(401);
  const granted = (await (await form(tokenUrl, { grant_type: 'client_credentials', scope: 'system/*.rs' })).json()) as {
    access_token: string;
  };
  const introspect = async () =>
    (await (await form(`${server.url}/auth/smart/introspect`, { token: granted.access_token })).json()) as {
      active: boolean;
      scope?: string;
    };
  expect(await introspect()).toMatchObject({ active: true, scope: 'system/*.rs' });
  const read = () =>
    fetch(`${server.fhir}/Patient?_count=1`, { headers: { authorization: `Bearer ${granted.access_token}` } });
  expect((await read()).status).toBe(200);
  expect((await form(`${server.url}/auth/smart/revoke`, { token: granted.access_token })).status).toBe(200);
  expect((await read()).status).toBe(401);
  expect((await introspect()).active).toBe(false);
});

it('answers a wrong secret and an unknown client alike', async () => {
  const { app } = await registerTestApp(server, {
    name: 'Secret keeper',
    redirectUris: ['https://keeper.example.org/cb'],
    scope: 'system/*.rs',
  });
  const attempt = async (id: string) => {
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${id}:not-the-secret`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.rs' }),
    });
    return { status: res.status, body: await res.text() };
  };
  const known = await attempt(app.id);
  expect(known.status).toBe(401);
  expect(await attempt('no-such-client')).toEqual(known);
});
