// A SMART app launch in Chromium: the app sends the patient to Careloop's authorize endpoint, the
// patient signs in with Careloop's own sign-in, reads in plain words what the app asks for, allows
// it, and the browser returns to the app with a code the app exchanges (with its PKCE verifier) for
// a token that reads the patient's observations. The consent page passes axe-core. "Don't allow"
// sends the app access_denied.
import type { Bundle } from '@medplum/fhirtypes';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/cli/demo/seed-demo.js';
import { HAROLD } from '../security/demo-server.js';
import { authorizeUrl, challengeOf, exchangeCode, newVerifier, registerTestApp } from '../support/smart-test-app.js';
import { accessibilityViolations, newPage, settled, signIn } from './support/browser.js';
import { withDemoBrowser } from './support/demo-browser.js';

const demo = withDemoBrowser();
const REDIRECT = 'https://coach.example.org/callback';
let appId: string;
beforeAll(async () => {
  const registered = await registerTestApp(demo.server, {
    name: 'Heart failure coach',
    public: true,
    redirectUris: [REDIRECT],
    scope: 'launch/patient openid fhirUser offline_access patient/Observation.rs',
  });
  appId = registered.app.id;
});

/** Opens the authorize URL as the app would, and returns where the browser lands back at the app. */
async function launch(
  page: Page,
  verifier: string,
  scope = 'launch/patient openid fhirUser patient/Observation.rs',
): Promise<{ back: Promise<URL> }> {
  const back = new Promise<URL>((resolve) => {
    void page.route(`${REDIRECT}**`, async (route) => {
      resolve(new URL(route.request().url()));
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>Back at the app</p>' });
    });
  });
  await page.goto(
    authorizeUrl(demo.server, {
      client_id: appId,
      redirect_uri: REDIRECT,
      scope,
      state: 'xyz',
      aud: demo.server.fhir,
      code_challenge: challengeOf(verifier),
    }),
  );
  await page.getByRole('textbox', { name: 'User name' }).fill('patient');
  await page.getByRole('textbox', { name: 'Password' }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Connect Heart failure coach to Careloop?' }).waitFor();
  // Wrapped: an async function would otherwise wait for the promise it returns.
  return { back };
}

it('the patient allows the app; it gets a token for their record', async () => {
  const page = await newPage(demo.browser);
  const verifier = newVerifier();
  const { back } = await launch(page, verifier);
  await page.getByText("Read observation records of the patient's record").waitFor();
  await settled(page);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Allow', exact: true }).click();
  const callback = await back;
  expect(callback.searchParams.get('state')).toBe('xyz');
  const { body } = await exchangeCode(demo.server, {
    code: callback.searchParams.get('code') as string,
    verifier,
    clientId: appId,
    redirectUri: REDIRECT,
  });
  expect(body.patient).toBe(HAROLD);
  const observations = await fetch(`${demo.server.fhir}/Observation?patient=${HAROLD}&_count=1`, {
    headers: { authorization: `Bearer ${body.access_token}` },
  });
  expect(((await observations.json()) as Bundle).entry?.length).toBe(1);
  await page.context().close();
});

it('"Don\'t allow" sends the app access_denied', async () => {
  const page = await newPage(demo.browser);
  // Asking for more than the patient allowed above (offline_access): asked again, not remembered.
  const { back } = await launch(
    page,
    newVerifier(),
    'launch/patient openid fhirUser offline_access patient/Observation.rs',
  );
  await page.getByRole('button', { name: "Don't allow" }).click();
  const callback = await back;
  expect(callback.searchParams.get('error')).toBe('access_denied');
  await page.context().close();
});

it("the coordinator opens an app from Harold's record; it is for Harold", async () => {
  const registered = await registerTestApp(demo.server, {
    name: 'Cardiology viewer',
    public: true,
    redirectUris: ['https://viewer.example.org/callback'],
    launchUri: 'https://viewer.example.org/launch',
    scope: 'launch openid fhirUser user/Patient.rs',
  });
  const page = await newPage(demo.browser);
  const opened = new Promise<URL>((resolve) => {
    void page.route('https://viewer.example.org/launch**', async (route) => {
      resolve(new URL(route.request().url()));
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>The viewer</p>' });
    });
  });
  const back = new Promise<URL>((resolve) => {
    void page.route('https://viewer.example.org/callback**', async (route) => {
      resolve(new URL(route.request().url()));
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>Back at the viewer</p>' });
    });
  });
  await signIn(page, demo.server.url, 'coordinator');
  await page.goto(`${demo.server.url}/patients/${HAROLD}`);
  await page.getByRole('button', { name: 'Open Cardiology viewer' }).click();
  const launch = await opened;
  // The route answers before the navigation ends; a goto now would race it.
  await page.waitForURL('https://viewer.example.org/launch**');
  expect(launch.searchParams.get('iss')).toBe(demo.server.fhir);
  // The viewer, opened, sends the coordinator to authorize with the launch it was given.
  const verifier = newVerifier();
  await page.goto(
    authorizeUrl(demo.server, {
      client_id: registered.app.id,
      redirect_uri: 'https://viewer.example.org/callback',
      scope: 'launch openid fhirUser user/Patient.rs',
      state: 'v1',
      aud: demo.server.fhir,
      launch: launch.searchParams.get('launch') as string,
      code_challenge: challengeOf(verifier),
    }),
  );
  await page.getByRole('heading', { name: 'Connect Cardiology viewer to Careloop?' }).waitFor();
  await page.getByRole('button', { name: 'Allow', exact: true }).click();
  const callback = await back;
  const token = await exchangeCode(demo.server, {
    code: callback.searchParams.get('code') as string,
    verifier,
    clientId: registered.app.id,
    redirectUri: 'https://viewer.example.org/callback',
  });
  expect(token.body.patient).toBe(HAROLD);
  await page.context().close();
});
