// The PHQ-9 journey in the browser: the coordinator fills in a PHQ-9 for a patient, sees the score,
// the band and the safety alert, finds the concern and its proposals on the patient page and accepts
// a goal; the stat task is on Today. And the portal journey: the coordinator sends a GAD-7 to the
// patient, who fills it in; the form leaves their list.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { accessibilityViolations, newPage, screenshot, settled, signIn } from './support/browser.js';
import { withDemoBrowser } from './support/demo-browser.js';

const demo = withDemoBrowser();

async function answer(page: Page, question: RegExp, choice: string): Promise<void> {
  await page.getByRole('radiogroup', { name: question }).getByRole('radio', { name: choice, exact: true }).check();
}

it('the coordinator fills in a PHQ-9, sees score, band and the safety alert, and accepts a proposal', async () => {
  const page = await newPage(demo.browser);
  await signIn(page, demo.server.url, 'coordinator');
  await page.goto(`${demo.server.url}/patients/demo-rosa-delgado`);
  await page.getByRole('heading', { name: 'Assessment and needs' }).waitFor();
  await settled(page);
  await page.getByRole('button', { name: 'Fill in Patient Health Questionnaire-9 (PHQ-9)' }).click();
  await page.getByRole('heading', { name: 'Patient Health Questionnaire-9 (PHQ-9)' }).waitFor();
  await settled(page);
  expect(await accessibilityViolations(page)).toEqual([]);

  // Leaving an item out is caught before anything is sent, and the answers stay.
  await answer(page, /^1\. Little interest/, 'Nearly every day');
  await page.getByRole('button', { name: 'Submit answers' }).click();
  await page.getByRole('alert').filter({ hasText: 'Please answer' }).waitFor();
  expect(
    await page
      .getByRole('radiogroup', { name: /^1\. Little interest/ })
      .getByRole('radio', { name: 'Nearly every day' })
      .isChecked(),
  ).toBe(true);

  const scores = [
    'Nearly every day',
    'Nearly every day',
    'More than half the days',
    'Several days',
    'Not at all',
    'Not at all',
    'Not at all',
    'Not at all',
    'Several days',
  ];
  for (const [i, choice] of scores.entries()) await answer(page, new RegExp(`^${i + 1}\\. `), choice);
  await page.getByRole('button', { name: 'Submit answers' }).click();
  const result = page.getByTestId('assessment-result');
  await result.waitFor();
  expect(await result.innerText()).toContain('Score 10 · Moderate');
  await page.getByRole('alert').filter({ hasText: 'Same-day safety assessment needed' }).waitFor();
  await screenshot(page, 'assessment-phq9-result');

  await page.getByRole('link', { name: /Back to Rosa Delgado/ }).click();
  await page.getByRole('heading', { name: 'Assessment and needs' }).waitFor();
  await settled(page);
  const accept = page.getByRole('button', { name: /^Accept: Depressive symptoms reduced/ });
  await accept.waitFor();
  expect(await page.getByText('Thoughts of self-harm reported (PHQ-9 item 9)').count()).toBeGreaterThan(0);
  await accept.click();
  await expect.poll(() => accept.count()).toBe(0);
  await settled(page);
  expect(await accessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'assessment-needs');

  // The stat task reached the coordinator's Today.
  await page.getByRole('link', { name: 'Today' }).click();
  await page.getByRole('heading', { name: 'Urgent' }).waitFor();
  await page
    .getByText(/stat: Same-day safety assessment/)
    .first()
    .waitFor();
  await page.context().close();
});

it('the coordinator sends a GAD-7 to the portal and the patient fills it in', async () => {
  const coordinator = await newPage(demo.browser);
  await signIn(coordinator, demo.server.url, 'coordinator');
  await coordinator.goto(`${demo.server.url}/patients/demo-harold-brennan`);
  await coordinator.getByRole('heading', { name: 'Assessment and needs' }).waitFor();
  await settled(coordinator);
  await coordinator.getByRole('button', { name: 'Send to portal: Generalized Anxiety Disorder-7 (GAD-7)' }).click();
  await coordinator.getByText('was sent to the patient’s portal').waitFor();
  await coordinator.context().close();

  const patient = await newPage(demo.browser);
  await signIn(patient, demo.server.url, 'patient');
  await patient.getByRole('heading', { name: 'Forms to fill in' }).waitFor();
  await patient.getByRole('button', { name: 'Fill in' }).click();
  await patient.getByRole('heading', { name: 'Generalized Anxiety Disorder-7 (GAD-7)' }).waitFor();
  for (let i = 1; i <= 7; i++) await answer(patient, new RegExp(`^${i}\\. `), 'Several days');
  await patient.getByRole('button', { name: 'Submit answers' }).click();
  await patient.getByTestId('assessment-result').getByText('Score 7 · Mild').waitFor();
  await patient.getByRole('link', { name: /Back to the record/ }).click();
  await patient.getByRole('heading', { name: 'Medications' }).waitFor();
  await settled(patient);
  expect(await patient.getByRole('heading', { name: 'Forms to fill in' }).count()).toBe(0);
  await patient.context().close();
});
