// Medication reconciliation in the browser: the pharmacist compares Harold's home list with his
// discharge orders side by side, is stopped from completing while high-severity discrepancies are
// undecided, decides them with reasons and completes; Harold then reads his schedule in the portal.
import { expect, it } from 'vitest';
import { accessibilityViolations, newPage, screenshot, settled, signIn } from './support/browser.js';
import { withDemoBrowser } from './support/demo-browser.js';

const demo = withDemoBrowser();

it('the pharmacist reconciles Harold’s lists and Harold reads his schedule', async () => {
  const page = await newPage(demo.browser);
  await signIn(page, demo.server.url, 'pharmacist');
  await page.goto(`${demo.server.url}/patients/demo-harold-brennan`);
  await page.getByRole('link', { name: 'Reconcile medications' }).click();
  // Whose lists these are: name and birth date.
  await page.getByText('Harold Brennan, born 14 Mar 1947').waitFor();
  await page.getByRole('button', { name: 'Start reconciliation' }).click();
  const table = page.getByRole('table', { name: 'Medications side by side' });
  await table.waitFor();
  expect(await table.getByRole('columnheader').allInnerTexts()).toEqual([
    'Home list',
    'Discharge orders',
    'Discrepancies',
    'Decision',
  ]);
  expect(await table.innerText()).toContain('clarithromycin with simvastatin');
  // The interaction every pharmacist knows, from the VA's NDF-RT (issue 15 §2).
  expect(await table.innerText()).toContain('amiodarone with warfarin');
  await settled(page);
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Complete reconciliation' }).click();
  await page.getByRole('alert').getByText('Not complete yet: decide these first').waitFor();

  const decide = async (display: string, action: string, reason: string) => {
    await page.getByRole('combobox', { name: `Decision for ${display}` }).click();
    await page.getByRole('option', { name: action, exact: true }).click();
    await page.getByRole('textbox', { name: `Reason for ${display}` }).fill(reason);
    await page.getByRole('button', { name: `Save decision for ${display}` }).click();
    await table.getByText(`Decided: ${action.toLowerCase()} — ${reason}`).waitFor();
  };
  // A pause, not a stop: the statin is held until the antibiotic course ends.
  await page.getByRole('combobox', { name: 'Decision for Simvastatin 40 mg oral tablet' }).click();
  await page.getByRole('option', { name: 'Hold (pause)', exact: true }).click();
  await page
    .getByRole('textbox', { name: 'Reason for Simvastatin 40 mg oral tablet' })
    .fill('clarithromycin raises its level');
  await page
    .getByRole('textbox', { name: 'Paused until, for Simvastatin 40 mg oral tablet' })
    .fill('the clarithromycin course ends');
  await page.getByRole('button', { name: 'Save decision for Simvastatin 40 mg oral tablet' }).click();
  await table
    .getByText('Decided: hold until the clarithromycin course ends — clarithromycin raises its level')
    .waitFor();
  await decide('Clarithromycin 500 mg oral tablet', 'New', 'Pneumonia, 7 days');
  await decide('Lisinopril 10 mg oral tablet', 'Stop', 'Now in the combination tablet');
  await decide('Hydrochlorothiazide 12.5 MG / Lisinopril 10 MG Oral Tablet', 'New', 'Blood pressure');
  await decide('Amiodarone hydrochloride 200 mg oral tablet', 'Continue', 'Rhythm control; ECG in 3 days for QT');
  await decide(
    'Warfarin sodium 5 mg oral tablet',
    'Continue',
    'With amiodarone: INR in 3 days, dose per anticoagulation clinic',
  );
  await decide(
    'Digoxin 0.125 mg oral tablet',
    'Continue',
    'With amiodarone and clarithromycin: digoxin level in 3 days',
  );
  await page.getByRole('button', { name: 'Complete reconciliation' }).click();
  await page.getByRole('heading', { name: 'The patient’s schedule' }).waitFor();
  await page
    .getByRole('table', { name: 'Paused — do not take for now' })
    .getByText('Simvastatin 40 mg oral tablet')
    .waitFor();
  await page.getByText(/^Completed .* by Priya Natarajan, PharmD \(pharmacist\)\.$/).waitFor();
  await settled(page);
  expect(await accessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'medication-reconciliation');
  // Coming back shows the completed reconciliation and who completed it, not a fresh start.
  await page.reload();
  await page.getByText(/^Completed .* by Priya Natarajan, PharmD \(pharmacist\)\.$/).waitFor();
  expect(await page.getByRole('button', { name: 'Start reconciliation' }).count()).toBe(0);
  await page.getByRole('button', { name: 'Start a new reconciliation' }).waitFor();
  await page.context().close();

  const patient = await newPage(demo.browser);
  await signIn(patient, demo.server.url, 'patient');
  await patient.getByRole('heading', { name: 'My medicines' }).waitFor();
  await patient
    .getByRole('table', { name: 'New — start taking' })
    .getByText('Clarithromycin 500 mg oral tablet')
    .waitFor();
  const paused = await patient.getByRole('table', { name: 'Paused — do not take for now' }).innerText();
  expect(paused).toContain('Simvastatin');
  expect(paused).toContain('Pause until the clarithromycin course ends (clarithromycin raises its level)');
  expect(paused).not.toContain('Do not take this any more');
  expect(await patient.getByRole('table', { name: 'New — start taking' }).innerText()).toContain(
    'an antibiotic for infection',
  );
  await settled(patient);
  expect(await accessibilityViolations(patient)).toEqual([]);
  await screenshot(patient, 'portal-medicines');
  await patient.context().close();
});
