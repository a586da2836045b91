// A referral in the browser from the need that caused it to the outcome that closed it: the
// coordinator finds a food service for Rosa's food insecurity (in Spanish, near home) and refers
// her, books her follow-up from the free times ranked for her; the food bank, signed in as the
// referral partner, accepts, starts and completes the referral with its outcome; the coordinator
// and Rosa's caregiver see the loop closed. Every screen passes axe-core.
import { expect, it } from 'vitest';
import { accessibilityViolations, newPage, screenshot, settled, signIn } from './support/browser.js';
import { withDemoBrowser } from './support/demo-browser.js';

const demo = withDemoBrowser();

const ROSA_PAGE = '/patients/demo-rosa-delgado';
const PANTRY = 'Weekly food pantry and SNAP enrollment help';

it('a referral from need to closed loop, and a booking from free times', async () => {
  const coordinator = await newPage(demo.browser);
  await signIn(coordinator, demo.server.url, 'coordinator');
  await coordinator.goto(`${demo.server.url}${ROSA_PAGE}`);
  await coordinator.getByRole('heading', { name: 'Referrals', exact: true }).waitFor();
  await settled(coordinator);
  await coordinator.getByRole('button', { name: 'Find community resources' }).click();
  // The open need and Rosa's preferred language are chosen for the coordinator.
  await expect
    .poll(() => coordinator.getByRole('combobox', { name: 'Need' }).inputValue())
    .toBe('Food insecurity (open need)');
  expect(await coordinator.getByRole('combobox', { name: 'Language' }).inputValue()).toBe('Spanish');
  await coordinator.getByRole('button', { name: 'Find services' }).click();
  const found = coordinator.getByRole('list', { name: 'Services found' });
  await found.waitFor();
  expect(await found.getByRole('listitem').first().innerText()).toContain(PANTRY);
  expect(await found.innerText()).toContain('km from home');
  await settled(coordinator);
  expect(await accessibilityViolations(coordinator)).toEqual([]);
  await coordinator.getByRole('button', { name: `Refer to ${PANTRY}` }).click();
  await coordinator.getByText(`Referral sent to ${PANTRY}.`).waitFor();
  const referrals = coordinator.getByRole('table', { name: 'Referrals' });
  await referrals.getByText('Sent, waiting to be received').waitFor();

  // Book the follow-up: the first free time is with the Spanish-speaking physician, in her afternoons.
  await coordinator.getByRole('button', { name: 'Book an appointment' }).click();
  await coordinator.getByRole('button', { name: 'Find free times' }).click();
  const times = coordinator.getByRole('list', { name: 'Free times' });
  await times.waitFor();
  expect(await times.getByRole('listitem').first().innerText()).toContain('speaks Spanish');
  await times
    .getByRole('button', { name: /^Book / })
    .first()
    .click();
  await coordinator.getByText(/^Booked .* with Samuel Reyes/).waitFor();
  // Beside the follow-up the demo booked after her hospital stay, the new one.
  await expect.poll(() => coordinator.getByRole('table', { name: 'Appointments' }).getByText('booked').count()).toBe(2);
  await settled(coordinator);
  expect(await accessibilityViolations(coordinator)).toEqual([]);
  await screenshot(coordinator, 'referral-and-booking');

  // The food bank answers from its own view.
  const foodbank = await newPage(demo.browser);
  await signIn(foodbank, demo.server.url, 'foodbank');
  await expect.poll(() => foodbank.url()).toBe(`${demo.server.url}/referrals`);
  const inbox = foodbank.getByRole('table', { name: 'Referrals received' });
  await inbox.getByText('Rosa Delgado').waitFor();
  await settled(foodbank);
  expect(await accessibilityViolations(foodbank)).toEqual([]);
  await foodbank.getByRole('button', { name: /^Accept: / }).click();
  await inbox.getByText('Accepted, not yet scheduled').waitFor();
  await foodbank.getByRole('button', { name: /^Start: / }).click();
  await inbox.getByText('Under way').waitFor();
  await foodbank.getByRole('button', { name: /^Complete: / }).click();
  await foodbank
    .getByRole('textbox', { name: 'Outcome (what was done for the patient)' })
    .fill('Enrolled in the Tuesday pantry; SNAP application filed.');
  await foodbank.getByRole('button', { name: 'Send the outcome' }).click();
  await inbox.getByText('Completed, outcome back').waitFor();
  await screenshot(foodbank, 'partner-referrals');
  await foodbank.context().close();

  // The loop is closed where it started.
  await coordinator.reload();
  await referrals.getByText('Completed, outcome back').waitFor();
  expect(await referrals.innerText()).toContain('Outcome: Enrolled in the Tuesday pantry');
  await coordinator.context().close();

  // And Rosa's caregiver sees it in the portal, with the appointment.
  const caregiver = await newPage(demo.browser);
  await signIn(caregiver, demo.server.url, 'caregiver');
  await caregiver.goto(`${demo.server.url}/portal/demo-rosa-delgado`);
  await caregiver.getByRole('table', { name: 'My referrals' }).getByText('Completed, outcome back').waitFor();
  await expect
    .poll(() => caregiver.getByRole('table', { name: 'My appointments' }).getByText('booked').count())
    .toBe(2);
  await settled(caregiver);
  expect(await accessibilityViolations(caregiver)).toEqual([]);
  await caregiver.context().close();
});
