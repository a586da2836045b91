// The workspace in a real browser: each care team role signs in and sees its home; the coordinator
// finds a patient and opens the patient page; every main page passes axe-core, also at phone width.
import { describe, expect, it } from 'vitest';
import { accessibilityViolations, newPage, PHONE, screenshot, settled, signIn } from './support/browser.js';
import { withDemoBrowser } from './support/demo-browser.js';

const demo = withDemoBrowser();

describe('the workspace', () => {
  it.each([
    ['coordinator', 'Maya Okafor, RN', 'Care coordinator'],
    ['pcp', 'Samuel Reyes, MD', 'Physician'],
    ['pharmacist', 'Priya Natarajan, PharmD', 'Pharmacist'],
  ])('%s signs in and sees Today, their worklist and who is signed in', async (username, name, role) => {
    const page = await newPage(demo.browser);
    await signIn(page, demo.server.url, username);
    await expect.poll(() => page.url()).toBe(`${demo.server.url}/today`);
    await page.getByRole('heading', { name: 'My worklist' }).waitFor();
    await settled(page);
    expect((await page.getByTestId('signed-in-user').innerText()).replace(/\n+/g, ' / ')).toBe(`${name} / ${role}`);
    if (username === 'coordinator') {
      // The worklist shows the overdue work first and opens its patient in one click.
      const worklist = page.getByRole('table', { name: 'My worklist' });
      await expect.poll(() => worklist.getByRole('row').count()).toBeGreaterThan(3);
      expect(await worklist.getByRole('row').nth(1).innerText()).toMatch(/Overdue since/);
      await page.getByRole('heading', { name: 'Admissions and discharges' }).waitFor();
      expect(await page.getByText('still in hospital').count()).toBe(1);
      await screenshot(page, 'workspace-today');
      expect(await accessibilityViolations(page)).toEqual([]);
    }
    await page.context().close();
  });

  it('the administrator sees the users, not clinical records', async () => {
    const page = await newPage(demo.browser);
    await signIn(page, demo.server.url, 'admin');
    await page.getByRole('table', { name: 'Users' }).waitFor();
    expect(await page.getByRole('navigation').innerText()).not.toContain('Patients');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('the coordinator finds a patient by name and opens the care summary', async () => {
    const page = await newPage(demo.browser);
    await signIn(page, demo.server.url, 'coordinator');
    await page.getByRole('link', { name: 'Patients' }).click();
    await page.getByRole('table', { name: 'Patients' }).waitFor();
    await settled(page);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'workspace-patients');
    await page.getByRole('textbox', { name: 'Find a patient' }).fill('Brennan');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Patients' }).getByRole('row').count()).toBe(2);
    const started = Date.now();
    await page.getByRole('link', { name: 'Harold Brennan' }).click();
    await page.getByRole('heading', { name: 'Harold Brennan', level: 1 }).waitFor();
    await page.getByText('Warfarin sodium 5 mg oral tablet').first().waitFor();
    const opened = Date.now() - started;
    // Reported, not a timed test: the benchmark of record is the README's; this only catches a page that hangs.
    console.log(`patient page opened in ${opened} ms`);
    expect(opened).toBeLessThan(5000);
    await settled(page);
    for (const section of [
      'Care team',
      'Problems and concerns',
      'Medications',
      'Observations and results',
      'Recent encounters',
      'Documents',
      'Timeline',
    ])
      await page.getByRole('heading', { name: section, exact: true }).waitFor();
    expect(await page.getByText('What matters most:').count()).toBe(1);
    expect(await page.getByRole('img', { name: 'Body weight trend' }).count()).toBe(1);
    await screenshot(page, 'workspace-patient');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('a patient outside the coordinator’s panel is refused', async () => {
    const page = await newPage(demo.browser);
    await signIn(page, demo.server.url, 'coordinator');
    await page.goto(`${demo.server.url}/patients/demo-oliver-grant`);
    await page.getByText('You do not have access to this record').waitFor();
    expect(await page.content()).not.toContain('Oliver');
    await page.context().close();
  });

  it('works at phone width: the navigation folds behind a menu button', async () => {
    const page = await newPage(demo.browser, PHONE);
    await signIn(page, demo.server.url, 'coordinator');
    await page.getByRole('heading', { name: 'My worklist' }).waitFor();
    await settled(page);
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await page.getByRole('link', { name: 'Patients' }).click();
    await page.getByRole('table', { name: 'Patients' }).waitFor();
    await settled(page);
    await screenshot(page, 'workspace-patients-phone');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });
});
