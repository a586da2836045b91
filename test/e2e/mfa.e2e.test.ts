// Sign-in with two steps in the browser: a user enrolled in TOTP is asked for the code after the
// password, a wrong code is refused in words, the right one signs in.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { totpCode } from '../../src/access/totp.js';
import { DEMO_PASSWORD } from '../../src/cli/demo/seed-demo.js';
import { startDemoServer, tokenOf } from '../security/demo-server.js';
import { bearer, http, type TestServer } from '../support/test-server.js';
import { launchBrowser, newPage } from './support/browser.js';

let server: TestServer;
let browser: Browser;
let secret: string;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
  const token = bearer(await tokenOf(server, 'pcp'));
  const enrol = await http<{ secret: string }>('POST', `${server.url}/auth/mfa/enrol`, undefined, token);
  secret = enrol.body.secret;
  const confirm = await http('POST', `${server.url}/auth/mfa/confirm`, { code: totpCode(secret, Date.now()) }, token);
  expect(confirm.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('asks an enrolled user for the code, refuses a wrong one and signs in with the right one', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/`);
  await page.getByRole('textbox', { name: 'User name' }).fill('pcp');
  await page.getByRole('textbox', { name: 'Password' }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const code = page.getByRole('textbox', { name: 'Six-digit code from your authenticator app' });
  await code.waitFor();
  await code.fill('000000');
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Not signed in' }).waitFor();
  expect(await page.getByTestId('signed-in-user').count()).toBe(0);
  // Enrolment used the current code, and a code works once: the next one (accepted for clock drift).
  await code.fill(totpCode(secret, Date.now() + 30_000));
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
  await page.getByTestId('signed-in-user').waitFor();
  await page.getByRole('heading', { name: 'My worklist' }).waitFor();
  await page.context().close();
});
