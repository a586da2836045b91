// Automatic logoff: after the idle time the app warns, then signs out, and the session is over on
// the server too (a reload does not bring it back). The server runs with a 9-second idle time.
import { expect, it } from 'vitest';
import { newPage, signIn } from './support/browser.js';
import { withDemoBrowser } from './support/demo-browser.js';

const demo = withDemoBrowser({ authSettings: { idleMs: 9_000 } });

it('warns before the idle timeout, then signs the user out', async () => {
  const page = await newPage(demo.browser);
  await signIn(page, demo.server.url, 'coordinator');
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
  const page = await newPage(demo.browser);
  await signIn(page, demo.server.url, 'coordinator');
  await page.getByRole('dialog', { name: 'Are you still there?' }).waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Stay signed in' }).click();
  await page.waitForTimeout(4_000);
  expect(await page.getByTestId('signed-in-user').count()).toBe(1);
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('table', { name: 'Patients' }).waitFor();
  await page.context().close();
});
