// Automatic logoff: after the idle time (the server's 15 minutes) the app warns, then signs out,
// and the session is over on the server too (a reload does not bring it back). The page's clock is
// Playwright's: the test jumps it forward as a laptop lid closed for a while would, instead of
// waiting, so the real idle time is tested in a second.
import { expect, it } from 'vitest';
import { newPage, signIn } from './support/browser.js';
import { withDemoBrowser } from './support/demo-browser.js';

const demo = withDemoBrowser();

it('warns a minute before the idle timeout, then signs the user out', async () => {
  const page = await newPage(demo.browser);
  await page.clock.install();
  await signIn(page, demo.server.url, 'coordinator');
  await page.getByRole('heading', { name: 'My worklist' }).waitFor();
  await page.clock.fastForward('13:00');
  expect(await page.getByRole('dialog', { name: 'Are you still there?' }).count()).toBe(0);
  await page.clock.fastForward('01:30');
  await page.getByRole('dialog', { name: 'Are you still there?' }).waitFor();
  await page.clock.fastForward('00:31');
  await page.getByText('You were signed out after 15 minutes without activity.').waitFor();
  expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(1);
  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  expect(await page.getByTestId('signed-in-user').count()).toBe(0);
  await page.context().close();
});

it('"Stay signed in" keeps the session', async () => {
  const page = await newPage(demo.browser);
  await page.clock.install();
  await signIn(page, demo.server.url, 'coordinator');
  await page.getByRole('heading', { name: 'My worklist' }).waitFor();
  await page.clock.fastForward('14:30');
  await page.getByRole('dialog', { name: 'Are you still there?' }).waitFor();
  await page.getByRole('button', { name: 'Stay signed in' }).click();
  await page.clock.fastForward('10:00');
  expect(await page.getByTestId('signed-in-user').count()).toBe(1);
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('table', { name: 'Patients' }).waitFor();
  await page.context().close();
});
