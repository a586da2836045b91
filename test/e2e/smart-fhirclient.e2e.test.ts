// SMART's own JavaScript client, `fhirclient`, unmodified, against Careloop in Chromium: an app
// written for any SMART server works here as it is. A patient's standalone app (sign-in, consent,
// their observations, not another patient's, refresh with offline_access), a caregiver choosing
// whose record, and a confidential clinician app opened from a patient's record (EHR launch).
import type { Bundle, Observation } from '@medplum/fhirtypes';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/cli/demo/seed-demo.js';
import { HAROLD, ROSA } from '../security/demo-server.js';
import { registerTestApp } from '../support/smart-test-app.js';
import { accessibilityViolations, newPage, settled, signIn } from './support/browser.js';
import { withDemoBrowser } from './support/demo-browser.js';
import { type FhirClientAppServer, loadFhirClientBuild, startFhirClientApps } from './support/fhirclient-app.js';

const demo = withDemoBrowser();
let apps: FhirClientAppServer;
beforeAll(async () => {
  apps = await startFhirClientApps(await loadFhirClientBuild());
}, 120_000);
afterAll(() => apps?.close());

/** What the app's client answers, run in the app's page (fhirclient's `client.request`). */
type Answer = { ok: true; body: unknown } | { ok: false; status: number | undefined };
const request = (page: Page, path: string) =>
  page.evaluate(async (p): Promise<Answer> => {
    const client = (globalThis as unknown as { smart: { request: (p: string) => Promise<unknown> } }).smart;
    try {
      return { ok: true, body: await client.request(p) };
    } catch (e) {
      return { ok: false, status: (e as { status?: number }).status };
    }
  }, path);

/** Registers a public standalone app and serves it; the page to open. */
async function standaloneApp(slug: string, name: string, scope: string): Promise<string> {
  const { app } = await registerTestApp(demo.server, {
    name,
    public: true,
    redirectUris: [apps.redirectUri(slug)],
    scope,
  });
  apps.configure(slug, { clientId: app.id, scope, iss: demo.server.fhir });
  return apps.launchUri(slug);
}

async function signInAtCareloop(page: Page, username: string): Promise<void> {
  await page.getByRole('textbox', { name: 'User name' }).fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

it("a patient's app: signs in, consents, reads their observations and not another's, refreshes", async () => {
  const launchPage = await standaloneApp(
    'diary',
    'Blood pressure diary',
    'launch/patient openid fhirUser offline_access patient/Observation.rs patient/Patient.rs',
  );
  const page = await newPage(demo.browser);
  await page.goto(launchPage);
  await signInAtCareloop(page, 'patient');
  await page.getByRole('heading', { name: 'Connect Blood pressure diary to Careloop?' }).waitFor();
  await page.getByText('Keep access when you are not using it, until you withdraw it').waitFor();
  await page.getByRole('button', { name: 'Allow', exact: true }).click();
  await page.getByText(`Ready for ${HAROLD}`).waitFor();

  const observations = await request(page, 'Observation?_count=20');
  expect(observations.ok).toBe(true);
  const entries = ((observations as { body: Bundle<Observation> }).body.entry ?? []).map((e) => e.resource);
  expect(entries.length).toBeGreaterThan(0);
  expect(new Set(entries.map((o) => o?.subject?.reference))).toEqual(new Set([`Patient/${HAROLD}`]));
  expect(await request(page, `Patient/${HAROLD}`)).toMatchObject({ ok: true });
  const other = await request(page, `Patient/${ROSA}`);
  expect(other.ok).toBe(false);
  expect([403, 404]).toContain((other as { status: number }).status);
  // Searching for another patient's finds nothing of theirs (a refusal would do as well).
  const searched = await request(page, `Observation?patient=${ROSA}`);
  expect(searched.ok ? ((searched.body as Bundle).entry ?? []).length : 0).toBe(0);
  // The id_token's fhirUser, as fhirclient reads it.
  expect(
    await page.evaluate(() => (globalThis as unknown as { smart: { getFhirUser(): string } }).smart.getFhirUser()),
  ).toBe(`Patient/${HAROLD}`);

  // offline_access: a refresh token, and fhirclient's refresh gives a new access token that works.
  const before = await page.evaluate(
    () =>
      (globalThis as unknown as { smart: { state: { tokenResponse: Record<string, string> } } }).smart.state
        .tokenResponse,
  );
  expect(before.refresh_token).toBeTruthy();
  const after = await page.evaluate(async () => {
    const client = (
      globalThis as unknown as {
        smart: { refresh(): Promise<unknown>; state: { tokenResponse: Record<string, string> } };
      }
    ).smart;
    await client.refresh();
    return client.state.tokenResponse;
  });
  expect(after.access_token).not.toBe(before.access_token);
  expect(after.patient).toBe(HAROLD);
  expect(await request(page, `Patient/${HAROLD}`)).toMatchObject({ ok: true });
  await page.context().close();
});

it('a caregiver chooses whose record the app is for', async () => {
  const launchPage = await standaloneApp(
    'family',
    'Family health',
    'launch/patient openid fhirUser patient/Patient.rs',
  );
  const page = await newPage(demo.browser);
  await page.goto(launchPage);
  await signInAtCareloop(page, 'caregiver');
  await page.getByRole('heading', { name: 'Connect Family health to Careloop?' }).waitFor();
  await page.getByRole('combobox', { name: 'Whose record' }).click();
  await page.getByRole('option', { name: /Rosa/ }).click();
  await page.getByRole('button', { name: 'Allow', exact: true }).click();
  await page.getByText(`Ready for ${ROSA}`).waitFor();
  expect(await request(page, `Patient/${ROSA}`)).toMatchObject({ ok: true });
  // Harold is also in the caregiver's care, but this app was given Rosa's record only.
  expect(await request(page, `Patient/${HAROLD}`)).toMatchObject({ ok: false });
  await page.context().close();
});

it("a confidential clinician app opened from Harold's record (EHR launch) is for Harold", async () => {
  const scope = 'launch openid fhirUser user/Patient.rs user/Observation.rs';
  const { app, secret } = await registerTestApp(demo.server, {
    name: 'Cardiology workbench',
    public: false,
    redirectUris: [apps.redirectUri('workbench')],
    launchUri: apps.launchUri('workbench'),
    scope,
  });
  apps.configure('workbench', { clientId: app.id, clientSecret: secret as string, scope });
  const page = await newPage(demo.browser);
  await signIn(page, demo.server.url, 'coordinator');
  await page.goto(`${demo.server.url}/patients/${HAROLD}`);
  await page.getByRole('button', { name: 'Open Cardiology workbench' }).click();
  // fhirclient reads iss and launch from the launch URL and goes to authorize; the coordinator,
  // already signed in to Careloop, is asked to consent.
  await page.getByRole('heading', { name: 'Connect Cardiology workbench to Careloop?' }).waitFor();
  await page.getByRole('button', { name: 'Allow', exact: true }).click();
  await page.getByText(`Ready for ${HAROLD}`).waitFor();
  expect(await request(page, `Patient/${HAROLD}`)).toMatchObject({ ok: true });
  const observations = await request(page, `Observation?patient=${HAROLD}&_count=5`);
  expect(observations.ok).toBe(true);
  await page.context().close();
});

it('a second launch goes on without asking; the portal lists the app and withdrawing it ends its access', async () => {
  const launchPage = await standaloneApp(
    'reminder',
    'Medicine reminder',
    'launch/patient openid fhirUser patient/Patient.rs',
  );
  const page = await newPage(demo.browser);
  await page.goto(launchPage);
  await signInAtCareloop(page, 'patient');
  await page.getByRole('button', { name: 'Allow', exact: true }).click();
  await page.getByText(`Ready for ${HAROLD}`).waitFor();
  // Launched again: remembered, straight back to the app (the Careloop session is still there).
  await page.goto(launchPage);
  await page.getByText(`Ready for ${HAROLD}`).waitFor();
  expect(await request(page, `Patient/${HAROLD}`)).toMatchObject({ ok: true });

  const portal = await newPage(demo.browser);
  await signIn(portal, demo.server.url, 'patient');
  await portal.goto(`${demo.server.url}/portal`);
  const card = portal.getByRole('region', { name: 'Connected apps' });
  const reminder = card.getByRole('region', { name: 'Medicine reminder' });
  await reminder.getByText("Read patient records of the patient's record").waitFor();
  await settled(portal);
  expect(await accessibilityViolations(portal)).toEqual([]);
  await reminder.getByRole('button', { name: 'Withdraw Medicine reminder' }).click();
  await reminder.waitFor({ state: 'detached' });
  expect(await request(page, `Patient/${HAROLD}`)).toMatchObject({ ok: false, status: 401 });
  await page.context().close();
  await portal.context().close();
});

it('a clinician launches a standalone app and finds the patient it is for among their own', async () => {
  const launchPage = await standaloneApp(
    'chart',
    'Chart review',
    'launch/patient openid fhirUser patient/Observation.rs',
  );
  const page = await newPage(demo.browser);
  await page.goto(launchPage);
  await signInAtCareloop(page, 'coordinator');
  await page.getByRole('heading', { name: 'Connect Chart review to Careloop?' }).waitFor();
  await page.getByRole('textbox', { name: 'Find the patient' }).fill('Brennan');
  await page.getByRole('radio', { name: /Harold Brennan/ }).check();
  await settled(page);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Allow', exact: true }).click();
  await page.getByText(`Ready for ${HAROLD}`).waitFor();
  const observations = await request(page, `Observation?patient=${HAROLD}&_count=1`);
  expect(observations.ok).toBe(true);
  await page.context().close();
});
