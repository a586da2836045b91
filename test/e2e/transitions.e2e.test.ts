// Transitions in the browser, from admission to a logged call: the board shows who is in hospital
// and who was discharged; the coordinator opens Harold's episode (LACE, the TCM clock, readiness),
// records an item, logs an unsuccessful attempt, runs the call script whose answers raise tasks;
// the measures page charts the rates; Harold reads his after-hospital plan in the portal, where
// neither the attempt nor the call's summary shows as a message (they are the team's notes).
import { expect, it } from 'vitest';
import { accessibilityViolations, newPage, screenshot, settled, signIn } from './support/browser.js';
import { withDemoBrowser } from './support/demo-browser.js';

const demo = withDemoBrowser();

it('the board, an episode with its readiness and TCM clock, a logged call, the measures and the portal plan', async () => {
  const page = await newPage(demo.browser);
  await signIn(page, demo.server.url, 'coordinator');
  await page.getByRole('link', { name: 'Transitions' }).click();
  const inHospital = page.getByRole('list', { name: 'In hospital — planning discharge' });
  await inHospital.getByText('Nadia Petrov').waitFor();
  const contactDue = page.getByRole('list', { name: 'Discharged — contact due' });
  await contactDue.getByText('Harold Brennan').waitFor();
  // Harold went home with no follow-up booked: flagged. Rosa's was booked: not flagged.
  const cardOf = (name: string) => page.getByRole('listitem').filter({ hasText: name });
  await cardOf('Harold Brennan').getByText('No follow-up booked').waitFor();
  expect(await cardOf('Rosa Delgado').getByText('No follow-up booked').count()).toBe(0);
  await settled(page);
  expect(await accessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'transitions-board');

  await contactDue.getByRole('link', { name: 'Harold Brennan' }).click();
  await page.getByRole('heading', { name: 'Readmission risk (LACE)' }).waitFor();
  expect(await page.getByRole('table', { name: 'LACE components' }).innerText()).toContain('Charlson');
  await page.getByText(/^Documentation supports:/).waitFor();
  const checklist = page.getByRole('table', { name: 'Readiness checklist' });
  expect(await checklist.getByRole('row').count()).toBe(12);
  await page.getByRole('button', { name: /^Record done: Teach-back/ }).click();
  await expect.poll(() => page.getByRole('button', { name: /^Record done: Teach-back/ }).count()).toBe(0);

  await page.getByRole('textbox', { name: 'Note' }).fill('No answer, voicemail left');
  await page.getByRole('button', { name: 'Log attempt' }).click();
  await page
    .getByRole('list', { name: 'Contact attempts' })
    .getByText(/not reached — No answer, voicemail left/)
    .waitFor();

  await page.getByRole('button', { name: 'Start the call script' }).click();
  const answer = async (question: RegExp, choice: string) =>
    page.getByRole('radiogroup', { name: question }).getByRole('radio', { name: choice, exact: true }).check();
  await answer(/^How are you feeling/, 'About the same');
  await answer(/^Do you have any of the warning signs/, 'No');
  await answer(/^Did you get all your medicines/, 'Yes');
  await answer(/^Do you know which medicines changed/, 'No');
  await answer(/^Do you know when and where/, 'Yes');
  await answer(/^Do you have a way to get/, 'No');
  await answer(/^Have the home services/, 'None were planned');
  await answer(/^Do you know who to call/, 'Yes');
  await settled(page);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Save the call' }).click();
  await page.getByText('Call saved. 2 tasks raised:').waitFor();
  expect(await page.getByRole('status').filter({ hasText: 'Call saved' }).innerText()).toContain('Arrange a ride');
  // The clock and the contact log update at once, without a reload: the call is the reached contact.
  await page
    .getByRole('list', { name: 'Contact attempts' })
    .getByText(/ · reached/)
    .waitFor();
  // The TCM complexity is the physician's decision; the coordinator records it on their behalf.
  await page.getByText(/^Complexity not recorded/).waitFor();
  await page.getByRole('button', { name: 'High (99496)' }).click();
  await page.getByText(/recorded by Maya Okafor, RN \(coordinator\) on behalf of Samuel Reyes, MD/).waitFor();
  await screenshot(page, 'transition-episode');

  await page.getByRole('link', { name: 'Measures' }).click();
  await page.getByRole('heading', { name: 'Contacted within 2 business days of discharge' }).waitFor();
  await settled(page);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.context().close();

  const patient = await newPage(demo.browser);
  await signIn(patient, demo.server.url, 'patient');
  await patient.getByRole('heading', { name: 'My after-hospital plan' }).waitFor();
  await patient.getByText('Maya Okafor, RN').first().waitFor();
  expect(await patient.getByRole('heading', { name: 'Warning signs: call if you notice' }).count()).toBe(1);
  // The contact attempt and the call's summary are the care team's notes, not messages to Harold.
  await patient.getByRole('heading', { name: 'Messages with my care team' }).waitFor();
  await settled(patient);
  const portalText = await patient.locator('body').innerText();
  expect(portalText).not.toContain('voicemail left');
  expect(portalText).not.toContain('Post-discharge call completed');
  expect(await accessibilityViolations(patient)).toEqual([]);
  await patient.context().close();
});
