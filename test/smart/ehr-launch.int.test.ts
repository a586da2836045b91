// SMART EHR launch over HTTP: a coordinator working on Harold's record opens a registered app from
// Careloop; the app comes back with the opaque launch, the coordinator approves, and the token is
// for Harold alone although the coordinator's panel holds others. Attacked: a launch used twice, a
// launch opened by someone else, a launch for a record the user may not open, an app that does not
// open from Careloop.
import type { Bundle, EpisodeOfCare } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LAUNCH_SECONDS } from '../../src/access/auth/oidc/ehr-launch.js';
import { createClinicClock } from '../../src/care/calendar/clinic-clock.js';
import { HAROLD, ROSA, startDemoServer, tokenOf } from '../security/demo-server.js';
import { authorizeUrl, challengeOf, exchangeCode, newVerifier, registerTestApp } from '../support/smart-test-app.js';
import { http, type TestServer } from '../support/test-server.js';

const REDIRECT = 'https://viewer.example.org/callback';
let server: TestServer;
let appId: string;
const bearer: Record<string, Record<string, string>> = {};
/** The server's clock runs this far ahead of the wall clock (a launch is moved past its expiry). */
let offset = 0;
beforeAll(async () => {
  server = await startDemoServer({ clock: createClinicClock('America/New_York', () => Date.now() + offset) });
  appId = (
    await registerTestApp(server, {
      name: 'Cardiology viewer',
      public: true,
      redirectUris: [REDIRECT],
      launchUri: 'https://viewer.example.org/launch',
      scope: 'launch launch/encounter openid fhirUser user/Patient.rs user/Observation.rs user/Encounter.rs',
    })
  ).app.id;
  for (const user of ['coordinator', 'pcp']) bearer[user] = { authorization: `Bearer ${await tokenOf(server, user)}` };
});
afterAll(async () => {
  await server?.close();
});

const json = { 'content-type': 'application/json' };

async function open(user: string, patient: string, episode?: string) {
  const res = await fetch(`${server.url}/auth/smart/launch`, {
    method: 'POST',
    headers: { ...bearer[user], ...json },
    body: JSON.stringify({ app: appId, patient, ...(episode ? { episode } : {}) }),
  });
  return { status: res.status, url: res.ok ? new URL(((await res.json()) as { url: string }).url) : undefined };
}

/** The app's side after being opened: authorize with the launch; the user approves. */
async function authorize(launch: string, approver: string, jar = new Map<string, string>()) {
  const verifier = newVerifier();
  const url = authorizeUrl(server, {
    client_id: appId,
    redirect_uri: REDIRECT,
    scope: 'launch openid fhirUser user/Patient.rs',
    state: 's',
    aud: server.fhir,
    launch,
    code_challenge: challengeOf(verifier),
  });
  const cookies = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [name, ...value] = (c.split(';')[0] as string).split('=');
      if (name) jar.set(name, value.join('='));
    }
    return res;
  };
  const start = keep(await fetch(url, { redirect: 'manual', headers: { cookie: cookies() } }));
  const location = start.headers.get('location') as string;
  if (location.startsWith(REDIRECT)) return { error: new URL(location).searchParams.get('error') };
  const interaction = new URL(location, server.url).toString();
  const headers = { ...bearer[approver], ...json, cookie: cookies() };
  const details = (await (await fetch(`${interaction}/details`, { headers })).json()) as {
    patients: { reference: string; name: string }[];
  };
  const approved = keep(await fetch(`${interaction}/approve`, { method: 'POST', headers, body: '{}' }));
  if (!approved.ok) return { details, refused: approved.status };
  let res = keep(
    await fetch(((await approved.json()) as { redirectTo: string }).redirectTo, {
      redirect: 'manual',
      headers: { cookie: cookies() },
    }),
  );
  while (!(res.headers.get('location') as string).startsWith(REDIRECT))
    res = keep(
      await fetch(new URL(res.headers.get('location') as string, server.url), {
        redirect: 'manual',
        headers: { cookie: cookies() },
      }),
    );
  const code = new URL(res.headers.get('location') as string).searchParams.get('code') as string;
  const token = await exchangeCode(server, { code, verifier, clientId: appId, redirectUri: REDIRECT });
  return { details, token: token.body as { access_token: string; patient?: string; encounter?: string } };
}

it("opened from Harold's record, the app gets a token for Harold alone", async () => {
  const apps = (await (await fetch(`${server.url}/auth/smart/apps`, { headers: bearer.coordinator })).json()) as {
    name: string;
  }[];
  expect(apps.map((a) => a.name)).toContain('Cardiology viewer');
  const opened = await open('coordinator', HAROLD);
  expect(opened.status).toBe(200);
  expect(opened.url?.origin + (opened.url?.pathname ?? '')).toBe('https://viewer.example.org/launch');
  expect(opened.url?.searchParams.get('iss')).toBe(server.fhir);
  const launch = opened.url?.searchParams.get('launch') as string;
  const result = await authorize(launch, 'coordinator');
  expect(result.details?.patients.map((p) => p.name)).toEqual(['Harold Brennan']);
  expect(result.token?.patient).toBe(HAROLD);
  const auth = { authorization: `Bearer ${result.token?.access_token}` };
  expect((await fetch(`${server.fhir}/Patient/${HAROLD}`, { headers: auth })).status).toBe(200);
  // Rosa is on the coordinator's panel, but this launch is Harold's.
  expect((await fetch(`${server.fhir}/Patient/${ROSA}`, { headers: bearer.coordinator })).status).toBe(200);
  expect([403, 404]).toContain((await fetch(`${server.fhir}/Patient/${ROSA}`, { headers: auth })).status);
  // Used once.
  expect(await authorize(launch, 'coordinator')).toEqual({ error: 'invalid_request' });
});

it('refuses a launch opened by someone else, for a record the user may not open, or of an app that does not launch', async () => {
  const opened = await open('coordinator', HAROLD);
  const taken = await authorize(opened.url?.searchParams.get('launch') as string, 'pcp');
  expect(taken.refused).toBe(403);
  expect([403, 404]).toContain((await open('coordinator', 'demo-oliver-grant')).status);
  const standalone = await registerTestApp(server, {
    name: 'No launch URL',
    public: true,
    redirectUris: ['https://x.example.org/cb'],
  });
  const res = await fetch(`${server.url}/auth/smart/launch`, {
    method: 'POST',
    headers: { ...bearer.coordinator, ...json },
    body: JSON.stringify({ app: standalone.app.id, patient: HAROLD }),
  });
  expect(res.status).toBe(404);
});

it("opened from Harold's transition episode, the token carries the hospital stay as its encounter", async () => {
  const episodes = await http<Bundle<EpisodeOfCare>>('GET', `${server.fhir}/EpisodeOfCare?patient=${HAROLD}`);
  const episode = episodes.body.entry?.[0]?.resource as EpisodeOfCare;
  const stay = episode.identifier?.find((i) => i.value?.startsWith('Encounter/'))?.value as string;
  expect(stay).toMatch(/^Encounter\//);
  const opened = await open('coordinator', HAROLD, episode.id);
  expect(opened.status).toBe(200);
  const result = await authorize(opened.url?.searchParams.get('launch') as string, 'coordinator');
  expect(result.token).toMatchObject({ patient: HAROLD, encounter: stay.slice('Encounter/'.length) });
  const discovery = (await (await fetch(`${server.fhir}/.well-known/smart-configuration`)).json()) as {
    capabilities: string[];
  };
  expect(discovery.capabilities).toContain('context-ehr-encounter');
  // Another patient's episode does not open Harold's record.
  expect((await open('coordinator', ROSA, episode.id)).status).toBe(400);
});

it('refuses a launch past its five minutes', async () => {
  const opened = await open('coordinator', HAROLD);
  offset += (LAUNCH_SECONDS + 1) * 1000;
  try {
    expect(await authorize(opened.url?.searchParams.get('launch') as string, 'coordinator')).toEqual({
      error: 'invalid_request',
    });
  } finally {
    offset -= (LAUNCH_SECONDS + 1) * 1000;
  }
});

it('a second launch in the same browser is for its own patient, not the last one', async () => {
  // The browser keeps oidc-provider's session and the grant stays: the consent step must still run,
  // or the app would be handed the first launch's patient.
  const jar = new Map<string, string>();
  const first = await open('coordinator', HAROLD);
  expect((await authorize(first.url?.searchParams.get('launch') as string, 'coordinator', jar)).token?.patient).toBe(
    HAROLD,
  );
  const second = await open('coordinator', ROSA);
  const result = await authorize(second.url?.searchParams.get('launch') as string, 'coordinator', jar);
  expect(result.token?.patient, JSON.stringify(result)).toBe(ROSA);
  const auth = { authorization: `Bearer ${result.token?.access_token}` };
  expect([403, 404]).toContain((await fetch(`${server.fhir}/Patient/${HAROLD}`, { headers: auth })).status);
});
