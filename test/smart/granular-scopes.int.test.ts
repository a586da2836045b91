// Granular SMART scopes (SMART App Launch 2.x, "Finer-grained resource constraints using search
// parameters"): an app allowed `patient/Observation.rs?category=...|vital-signs` sees the patient's
// vital signs and nothing else of Observation, in searches, reads and $everything alike, and writes
// only vital signs. Condition likewise by its category.
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HAROLD, startDemoServer } from '../security/demo-server.js';
import { launchAsUser } from '../support/smart-launch-flow.js';
import { challengeOf, exchangeCode, newVerifier, registerTestApp } from '../support/smart-test-app.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const VITALS = `patient/Observation.rs?category=${CATEGORY}|vital-signs`;
const WRITE_VITALS = `patient/Observation.c?category=${CATEGORY}|vital-signs`;
const SCOPE = `launch/patient ${VITALS} ${WRITE_VITALS} patient/Patient.rs`;
const REDIRECT = 'https://vitals.example.org/callback';
let server: TestServer;
let token: Record<string, string>;
let lab: string;

const observation = (code: string, extra: Partial<Observation> = {}): Observation => ({
  resourceType: 'Observation',
  status: 'final',
  category: [{ coding: [{ system: CATEGORY, code }] }],
  code: { text: code === 'laboratory' ? 'Potassium' : 'Heart rate' },
  subject: { reference: `Patient/${HAROLD}` },
  ...extra,
});

beforeAll(async () => {
  server = await startDemoServer();
  lab = (await http<{ id: string }>('POST', `${server.fhir}/Observation`, observation('laboratory'))).body.id;
  const { app } = await registerTestApp(server, {
    name: 'Vitals tracker',
    public: true,
    redirectUris: [REDIRECT],
    scope: SCOPE,
  });
  const verifier = newVerifier();
  const { consent, callback } = await launchAsUser(
    server,
    { clientId: app.id, redirectUri: REDIRECT, scope: SCOPE },
    'patient',
    { code_challenge: challengeOf(verifier) },
  );
  expect(consent?.scopes.map((s) => s.words)).toContain(
    "Read observation records of the patient's record (vital signs only)",
  );
  const exchanged = await exchangeCode(server, {
    code: callback?.searchParams.get('code') as string,
    verifier,
    clientId: app.id,
    redirectUri: REDIRECT,
  });
  expect(exchanged.body.scope).toContain(VITALS);
  token = bearer(exchanged.body.access_token as string);
});
afterAll(() => server?.close());

const categoriesOf = (bundle: Bundle) =>
  new Set(
    (bundle.entry ?? [])
      .filter((e) => e.resource?.resourceType === 'Observation')
      .flatMap((e) => (e.resource as Observation).category?.flatMap((c) => c.coding?.map((x) => x.code)) ?? []),
  );

it('finds vital signs only, however it searches', async () => {
  const all = await http<Bundle>('GET', `${server.fhir}/Observation?patient=${HAROLD}&_count=500`, undefined, token);
  expect(all.status).toBe(200);
  expect(all.body.entry?.length).toBeGreaterThan(0);
  expect(categoriesOf(all.body)).toEqual(new Set(['vital-signs']));
  const labs = await http<Bundle>('GET', `${server.fhir}/Observation?category=laboratory`, undefined, token);
  expect(labs.body.entry ?? []).toEqual([]);
  const everything = await http<Bundle>('GET', `${server.fhir}/Patient/${HAROLD}/$everything`, undefined, token);
  expect(everything.status).toBe(200);
  expect(categoriesOf(everything.body)).toEqual(new Set(['vital-signs']));
});

it('cannot read a laboratory result by id', async () => {
  expect([403, 404]).toContain((await http('GET', `${server.fhir}/Observation/${lab}`, undefined, token)).status);
  // The system sees it: the result exists.
  expect((await http('GET', `${server.fhir}/Observation/${lab}`)).status).toBe(200);
});

it('writes vital signs, not laboratory results', async () => {
  const performer = { performer: [{ reference: `Patient/${HAROLD}` }] };
  const vitals = await http('POST', `${server.fhir}/Observation`, observation('vital-signs', performer), token);
  expect(vitals.status, JSON.stringify(vitals.body)).toBe(201);
  const refused = await http('POST', `${server.fhir}/Observation`, observation('laboratory', performer), token);
  expect(refused.status).toBe(403);
  const none = await http(
    'POST',
    `${server.fhir}/Observation`,
    { ...observation('vital-signs', performer), category: undefined },
    token,
  );
  expect(none.status).toBe(403);
});

it('is never wider than registered: asking for every observation is not granted', async () => {
  const { app } = await registerTestApp(server, {
    name: 'Vitals only',
    public: true,
    redirectUris: [REDIRECT],
    scope: `launch/patient ${VITALS}`,
  });
  const { consent } = await launchAsUser(
    server,
    { clientId: app.id, redirectUri: REDIRECT, scope: 'launch/patient patient/Observation.rs' },
    'patient',
    { code_challenge: challengeOf(newVerifier()) },
  );
  expect(consent?.scopes.map((s) => s.scope)).toEqual(['launch/patient']);
});
