// Automatic logoff: after the idle time the app warns, then signs out, and the session is over on
// the server too (a reload does not bring it back). The server runs with a 9-second idle time.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDemoServer } from '../security/demo-server.js';
import type { TestServer } from '../support/test-server.js';
import { launchBrowser, newPage, signIn } from './support/browser.js';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDemoServer({ authSettings: { idleMs: 9_000 } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('warns before the idle timeout, then signs the user out', async () => {
  const page = await newPage(browser);
  await signIn(page, server.url, 'coordinator');
  await page.getByRole('heading', { name: 'My worklist' }).waitFor();
  await page.getByRole('dialog', { name: 'Are you still there?' }).waitFor({ timeout: 15_000 });
  await page.getByText('You were signed out after 9 seconds without activity.').waitFor({ timeout: 15_000 });
  expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(1);
  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  expect(await page.getByTestId('signed-in-user').count()).toBe(0);
  await page.context().close();
});

it('"Stay signed in" keeps the session', async () => {
  const page = await newPage(browser);
  await signIn(page, server.url, 'coordinator');
  await page.getByRole('dialog', { name: 'Are you still there?' }).waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Stay signed in' }).click();
  await page.waitForTimeout(4_000);
  expect(await page.getByTestId('signed-in-user').count()).toBe(1);
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('table', { name: 'Patients' }).waitFor();
  await page.context().close();
});
