// The shared plan and messaging in the browser: the coordinator starts Harold's plan and adds a goal,
// the physician records progress on it and both appear in "who changed what"; the coordinator writes
// to Harold, who answers from the portal, and the answer reaches the coordinator's messages.
import { expect, it } from 'vitest';
import { tokenOf } from '../security/demo-server.js';
import { bearer, http } from '../support/test-server.js';
import { accessibilityViolations, newPage, screenshot, settled, signIn } from './support/browser.js';
import { withDemoBrowser } from './support/demo-browser.js';

const demo = withDemoBrowser();

const HAROLD_PAGE = '/patients/demo-harold-brennan';

it('a plan edited by two roles, with who changed what', async () => {
  const coordinator = await newPage(demo.browser);
  await signIn(coordinator, demo.server.url, 'coordinator');
  await coordinator.goto(`${demo.server.url}${HAROLD_PAGE}`);
  await coordinator.getByRole('heading', { name: 'Care plan', exact: true }).waitFor();
  await settled(coordinator);
  await coordinator.getByRole('button', { name: 'Start a care plan' }).click();
  await coordinator.getByRole('heading', { name: 'Who changed what' }).waitFor();
  await coordinator.getByRole('textbox', { name: 'New goal' }).fill('Weight within 1 kg of 84 kg');
  await coordinator.getByRole('button', { name: 'Add goal' }).click();
  await coordinator.getByText('Weight within 1 kg of 84 kg').first().waitFor();
  await coordinator.context().close();

  const pcp = await newPage(demo.browser);
  await signIn(pcp, demo.server.url, 'pcp');
  await pcp.goto(`${demo.server.url}${HAROLD_PAGE}`);
  await pcp.getByRole('heading', { name: 'Care plan', exact: true }).waitFor();
  await settled(pcp);
  await pcp.getByRole('combobox', { name: 'Progress on Weight within 1 kg of 84 kg' }).click();
  await pcp.getByRole('option', { name: 'Improving' }).click();
  const history = pcp.getByRole('list', { name: 'Who changed what' });
  await history.getByText(/pcp \(physician\): recorded progress on "Weight within 1 kg of 84 kg": Improving/).waitFor();
  expect(await history.innerText()).toMatch(/coordinator \(coordinator\): created the care plan/);
  await settled(pcp);
  expect(await accessibilityViolations(pcp)).toEqual([]);
  await screenshot(pcp, 'care-plan-two-roles');
  await pcp.context().close();
});

it('a message from the coordinator, answered by the patient in the portal', async () => {
  const coordinator = await newPage(demo.browser);
  await signIn(coordinator, demo.server.url, 'coordinator');
  await coordinator.goto(`${demo.server.url}${HAROLD_PAGE}`);
  await coordinator.getByRole('heading', { name: 'Messages with Harold Brennan' }).waitFor();
  await settled(coordinator);
  await coordinator.getByRole('textbox', { name: 'New message to Harold Brennan' }).fill('How are your ankles today?');
  await coordinator.getByRole('button', { name: 'Send', exact: true }).click();
  await coordinator.getByText('Message sent.').waitFor();

  const patient = await newPage(demo.browser);
  await signIn(patient, demo.server.url, 'patient');
  await patient.getByRole('heading', { name: 'Messages with my care team' }).waitFor();
  await settled(patient);
  await patient.getByText('How are your ankles today?').waitFor();
  // The sender by name and role, never a reference.
  await patient.getByText('Maya Okafor, RN, Care coordinator').first().waitFor();
  expect(await patient.locator('body').innerText()).not.toContain('Practitioner/');
  await patient.getByRole('textbox', { name: 'Reply' }).fill('A little swollen, less than yesterday.');
  await patient.getByRole('button', { name: 'Send reply' }).click();
  await patient.getByText('A little swollen, less than yesterday.').waitFor();
  await settled(patient);
  expect(await accessibilityViolations(patient)).toEqual([]);
  await screenshot(patient, 'portal-plan-and-messages');
  await patient.context().close();

  await coordinator.getByRole('link', { name: 'Messages' }).click();
  await coordinator.getByRole('heading', { name: 'Messages', level: 1 }).waitFor();
  await coordinator.getByText('A little swollen, less than yesterday.').waitFor();
  // Threads of many patients meet here: each names its patient, and the patient's reply its sender.
  await coordinator.getByText('About Harold Brennan').first().waitFor();
  await coordinator.getByText('Harold Brennan, patient').first().waitFor();
  expect(await coordinator.locator('body').innerText()).not.toMatch(/(Patient|Practitioner|RelatedPerson)\//);
  await coordinator.getByRole('button', { name: 'Mark as read' }).click();
  await expect.poll(() => coordinator.getByText('new', { exact: true }).count()).toBe(0);
  await coordinator.context().close();
});

it('the coordinator adds a clinician to the care team and ends the membership', async () => {
  const page = await newPage(demo.browser);
  await signIn(page, demo.server.url, 'coordinator');
  await page.goto(`${demo.server.url}/patients/demo-gloria-mensah`);
  await page.getByRole('heading', { name: 'Care team', exact: true }).waitFor();
  await settled(page);
  await page.getByRole('combobox', { name: 'Add to the team' }).click();
  await page.getByRole('option', { name: 'Priya Natarajan, PharmD' }).click();
  await page.getByRole('textbox', { name: 'Their role' }).fill('Clinical pharmacist');
  await page.getByRole('button', { name: 'Add member' }).click();
  const end = page.getByRole('button', { name: "End Priya Natarajan, PharmD's membership" });
  await end.waitFor();
  await end.click();
  await expect.poll(() => end.count()).toBe(0);
  await page.context().close();
});

it('the worklist: comment on a task, reassign one and mark one done', async () => {
  const page = await newPage(demo.browser);
  await signIn(page, demo.server.url, 'coordinator');
  const worklist = page.getByRole('table', { name: 'My worklist' });
  await worklist.waitFor();
  await settled(page);
  await page.getByRole('button', { name: 'Actions for: Annual care plan review' }).click();
  await page.getByRole('menuitem', { name: 'Add a comment' }).click();
  await page.getByRole('textbox', { name: 'Comment' }).fill('Booked with Arthur for 2 December.');
  await page.getByRole('button', { name: 'Add comment' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Actions for: Annual care plan review' }).click();
  await page.getByRole('menuitem', { name: 'Add a comment' }).click();
  await page.getByText('Booked with Arthur for 2 December.').waitFor();
  expect(await page.getByRole('dialog').innerText()).toContain('Maya Okafor, RN');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Actions for: Confirm the home health start of care' }).click();
  await page.getByRole('menuitem', { name: 'Reassign' }).click();
  await page.getByRole('combobox', { name: 'New owner' }).click();
  await page.getByRole('option', { name: 'Samuel Reyes, MD' }).click();
  await page.getByRole('button', { name: 'Reassign', exact: true }).click();
  await expect.poll(() => worklist.getByText('Confirm the home health start of care').count()).toBe(0);

  await page.getByRole('button', { name: /^Actions for: Referral to behavioral health/ }).click();
  await page.getByRole('menuitem', { name: 'Mark done' }).click();
  await expect.poll(() => worklist.getByText(/Referral to behavioral health/).count()).toBe(0);

  // Two at once: both TCM calls the discharges raised are done in one transaction.
  const calls = page.getByRole('checkbox', { name: /^Select: Post-discharge call \(TCM\)/ });
  await expect.poll(() => calls.count()).toBeGreaterThanOrEqual(2);
  const before = await calls.count();
  await calls.nth(0).check();
  await calls.nth(1).check();
  await page.getByRole('group', { name: 'Change the selected tasks' }).getByText('2 selected').waitFor();
  await settled(page);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Mark selected done' }).click();
  await expect.poll(() => worklist.getByText(/^Post-discharge call \(TCM\)/).count()).toBe(before - 2);
  await page.context().close();
});

it('a message arriving while the coordinator works shows on the Messages link at once', async () => {
  const page = await newPage(demo.browser);
  await signIn(page, demo.server.url, 'coordinator');
  await page.getByRole('table', { name: 'My worklist' }).waitFor();
  await settled(page);
  // Events are not replayed: wait until the page's stream is open before the message is sent.
  await page.locator('[data-testid="live-stream"][data-live="connected"]').waitFor({ state: 'attached' });
  const sent = await http(
    'POST',
    `${demo.server.fhir}/Communication`,
    {
      resourceType: 'Communication',
      status: 'completed',
      subject: { reference: 'Patient/demo-harold-brennan' },
      sender: { reference: 'Practitioner/demo-pcp', display: 'Samuel Reyes, MD' },
      recipient: [{ reference: 'Practitioner/demo-coordinator' }],
      sent: new Date().toISOString(),
      payload: [{ contentString: 'Harold’s potassium came back high: please call him.' }],
    },
    bearer(await tokenOf(demo.server, 'pcp')),
  );
  expect(sent.status).toBe(201);
  await page.getByTestId('live-message').getByText('1 new').waitFor();
  await page.getByRole('link', { name: /Messages/ }).click();
  await page.getByText('Harold’s potassium came back high: please call him.').waitFor();
  expect(await page.getByTestId('live-message').count()).toBe(0);
  await page.context().close();
});
