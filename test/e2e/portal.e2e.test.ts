// The portal in a real browser: the patient and the caregiver see their homes; the patient edits a
// preference and it is saved on the record the care team reads; typing another patient's address is
// refused; a failed save keeps what was typed; every page passes axe-core.
import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { http } from '../support/test-server.js';
import { accessibilityViolations, newPage, PHONE, screenshot, settled, signIn } from './support/browser.js';
import { withDemoBrowser } from './support/demo-browser.js';

const demo = withDemoBrowser();

describe('the portal', () => {
  it('the patient sees their medications, problems, visits, results, care team and who looked at the record', async () => {
    const page = await newPage(demo.browser);
    await signIn(page, demo.server.url, 'patient');
    await expect.poll(() => page.url()).toBe(`${demo.server.url}/portal`);
    await page.getByRole('heading', { name: 'Harold Brennan', level: 1 }).waitFor();
    await settled(page);
    for (const section of [
      'Medications',
      'Problems and concerns',
      'Visits and hospital stays',
      'Observations and results',
      'Care team',
      'My preferences',
      'Who has looked at this record',
    ])
      await page.getByRole('heading', { name: section, exact: true }).waitFor();
    // Warfarin: the home prescription and the discharge order of his last stay (not yet reconciled).
    expect(await page.getByText('5 mg by mouth once daily in the evening').count()).toBe(2);
    // The coordinator's number, on the care team and in the after-hospital plan's "who to call".
    expect(await page.getByText('555-0140').count()).toBe(2);
    await page.getByRole('table', { name: 'Who has looked at this record' }).waitFor();
    await screenshot(page, 'portal-patient');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('the patient edits a preference and sees it saved, on the record the care team reads', async () => {
    const page = await newPage(demo.browser);
    await signIn(page, demo.server.url, 'patient');
    await page.getByRole('heading', { name: 'My preferences' }).waitFor();
    await settled(page);
    await page.getByRole('combobox', { name: 'Preferred language' }).click();
    await page.getByRole('option', { name: 'Spanish' }).click();
    const words = page.getByRole('textbox', { name: 'What matters most to you' });
    await words.fill('Dancing at my granddaughter’s wedding in June');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Your preferences are saved').waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'My preferences' }).waitFor();
    await settled(page);
    expect(await page.getByRole('combobox', { name: 'Preferred language' }).inputValue()).toBe('Spanish');
    expect(await page.getByRole('textbox', { name: 'What matters most to you' }).inputValue()).toBe(
      'Dancing at my granddaughter’s wedding in June',
    );
    const stored = await http<Patient>('GET', `${demo.server.fhir}/Patient/demo-harold-brennan`);
    expect(stored.body.communication?.find((c) => c.preferred)?.language.coding?.[0]?.code).toBe('es');

    // The coordinator sees it on the patient page.
    const coordinator = await newPage(demo.browser);
    await signIn(coordinator, demo.server.url, 'coordinator');
    await coordinator.goto(`${demo.server.url}/patients/demo-harold-brennan`);
    await coordinator.getByText('Language: Spanish').waitFor();
    await coordinator.getByText('Dancing at my granddaughter’s wedding in June').waitFor();
    await coordinator.context().close();
    await page.context().close();
  });

  it('a failed save says why and keeps what was typed', async () => {
    const page = await newPage(demo.browser);
    await signIn(page, demo.server.url, 'patient');
    await page.getByRole('heading', { name: 'My preferences' }).waitFor();
    await settled(page);
    await page.route('**/fhir/Patient/**', (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({
            status: 503,
            contentType: 'application/fhir+json',
            body: JSON.stringify({
              resourceType: 'OperationOutcome',
              issue: [{ severity: 'error', code: 'transient', diagnostics: 'The database is busy.' }],
            }),
          })
        : route.continue(),
    );
    const words = page.getByRole('textbox', { name: 'What matters most to you' });
    await words.fill('Keeping my garden');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
    expect(await page.getByText('The database is busy.').count()).toBe(1);
    expect(await words.inputValue()).toBe('Keeping my garden');
    await page.context().close();
  });

  it.each(['/patients/demo-rosa-delgado', '/portal/demo-rosa-delgado', '/portal/demo-oliver-grant'])(
    'a patient typing another patient’s address (%s) is refused and sees nothing of theirs',
    async (path) => {
      const page = await newPage(demo.browser);
      await signIn(page, demo.server.url, 'patient');
      await page.goto(`${demo.server.url}${path}`);
      await page.getByText('You do not have access to this record').waitFor();
      const text = await page.content();
      for (const marker of ['Delgado', '555-0102', 'Oliver', 'Grant', 'Tiotropium']) expect(text).not.toContain(marker);
      await page.context().close();
    },
  );

  it('the caregiver sees whose record is open and switches between the people they care for', async () => {
    const page = await newPage(demo.browser, PHONE);
    await signIn(page, demo.server.url, 'caregiver');
    const banner = page.getByTestId('open-record');
    await banner.getByText('Harold Brennan').waitFor();
    expect(await banner.innerText()).toContain('You are viewing the record of');
    await settled(page);
    await screenshot(page, 'portal-caregiver-phone');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('combobox', { name: 'Whose record' }).click();
    await page.getByRole('option', { name: 'Rosa Delgado' }).click();
    await banner.getByText('Rosa Delgado').waitFor();
    await expect.poll(() => page.url()).toBe(`${demo.server.url}/portal/demo-rosa-delgado`);
    await page.getByText('Tiotropium', { exact: false }).first().waitFor();
    expect(await page.content()).not.toContain('Warfarin');
    await page.context().close();
  });
});
