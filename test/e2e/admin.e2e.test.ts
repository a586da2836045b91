// The administrator's page in Chromium: unlocks a locked user (who then signs in), gives a user a
// new password, adds a user with a role and the FHIR resource they are (who then signs in and works
// as that person), requires a second factor for a role, and registers and removes an app. The page
// passes axe-core.
import { expect, it } from 'vitest';
import { login } from '../security/demo-server.js';
import { accessibilityViolations, newPage, settled, signIn } from './support/browser.js';
import { withDemoBrowser } from './support/demo-browser.js';

const demo = withDemoBrowser();
const PASSWORD = 'a-long-new-passphrase-42';

it('unlocks, resets a password, adds a user, sets the second-factor rule, registers and removes an app', async () => {
  for (let i = 0; i < 5; i++) await login(demo.server, 'foodbank', `guess-${i}-password`);
  expect((await login(demo.server, 'foodbank')).status).toBe(423);

  const page = await newPage(demo.browser);
  await signIn(page, demo.server.url, 'admin');
  const users = page.getByRole('table', { name: 'Users' });
  await users
    .getByRole('row', { name: /foodbank/ })
    .getByText('locked')
    .waitFor();
  await settled(page);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Unlock foodbank' }).click();
  await users
    .getByRole('row', { name: /foodbank/ })
    .getByText('active')
    .waitFor();
  expect((await login(demo.server, 'foodbank')).status).toBe(200);

  await page.getByRole('button', { name: 'Give pharmacist a new password' }).click();
  await page.getByLabel('New password for pharmacist', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Set', exact: true }).click();
  await page.getByLabel('New password for pharmacist', { exact: true }).waitFor({ state: 'detached' });
  expect((await login(demo.server, 'pharmacist', PASSWORD)).status).toBe(200);

  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByRole('textbox', { name: 'User name' }).fill('coordinator-two');
  await form.getByLabel('First password').fill(PASSWORD);
  await form.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Care coordinator' }).click();
  await form.getByRole('textbox', { name: 'The FHIR resource they are' }).fill('Practitioner/demo-coordinator');
  await form.getByRole('button', { name: 'Add user' }).click();
  await users.getByRole('row', { name: /coordinator-two/ }).waitFor();

  await page.getByRole('checkbox', { name: 'Pharmacist' }).check();
  await page.getByRole('region', { name: 'Second factor' }).getByRole('button', { name: 'Save' }).click();
  await page.getByRole('region', { name: 'Second factor' }).getByText('Saved').waitFor();

  const apps = page.getByRole('form', { name: 'Register an app' });
  await apps.getByRole('textbox', { name: 'Name' }).fill('Care navigator');
  await apps
    .getByRole('textbox', { name: 'Redirect URLs, one per line' })
    .fill('https://navigator.example.org/callback');
  await apps.getByRole('textbox', { name: 'Scopes' }).fill('launch openid fhirUser user/Patient.rs');
  await apps.getByRole('button', { name: 'Register app' }).click();
  await apps.getByText('Client secret:').waitFor();
  await page.getByRole('table', { name: 'Apps' }).getByText('Care navigator').waitFor();
  await settled(page);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Remove Care navigator' }).click();
  await page.getByRole('table', { name: 'Apps' }).waitFor({ state: 'detached' });
  await page.context().close();

  // The other side: the new user signs in and works as the coordinator they were made.
  const coordinator = await newPage(demo.browser);
  await signIn(coordinator, demo.server.url, 'coordinator-two', PASSWORD);
  await coordinator.getByRole('link', { name: 'Patients' }).click();
  await coordinator.getByRole('table', { name: 'Patients' }).waitFor();
  await coordinator.context().close();
});
