// Overdue escalation: a referral left in one state longer than its priority allows raises one
// follow-up task for the coordinator, and only one while that task is open.
import type { Bundle, Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { patientWithCoordinator } from '../../../test/support/hook-test-repository.js';
import { freshJobStore } from '../../../test/support/job-test-store.js';
import { createClinicClock } from '../../care/calendar/clinic-clock.js';
import { referralHook } from '../../care/referrals/referral-hook.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Job } from '../../store/store.js';
import { referralFollowUpHandler } from './referral-follow-up-job.js';

const jobStore = freshJobStore();

const DAY = 86_400_000;
const job = (day: string) => ({ id: `referral-follow-up:${day}`, kind: 'referral-follow-up', payload: { day } }) as Job;

it('a referral waiting past its time raises one follow-up for the coordinator', async () => {
  const store = await jobStore.open();
  const repo = createFhirRepository(store, {
    hooks: { ServiceRequest: [referralHook(createClinicClock('UTC'))], Task: [referralHook(createClinicClock('UTC'))] },
  });
  await repo.processBundle(
    {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        ...patientWithCoordinator(),
        {
          resource: {
            resourceType: 'ServiceRequest',
            status: 'active',
            intent: 'order',
            priority: 'urgent',
            category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005' }] }],
            code: { text: 'Rental assistance' },
            subject: { reference: 'Patient/p1' },
            performer: [{ reference: 'Organization/housing', display: 'Valley Housing Alliance' }],
          },
          request: { method: 'POST', url: 'ServiceRequest' },
        },
      ],
    } as Bundle,
    '',
  );
  const followUps = async () =>
    (
      await repo.search('Task', [['code', 'http://careloop.org/fhir/CodeSystem/task-type|referral-follow-up']])
    ).page.matches.map((m) => JSON.parse(m.json as string) as Task);
  const s = store;
  const run = (days: number) =>
    referralFollowUpHandler({ clock: createClinicClock('UTC', () => Date.now() + days * DAY) })(
      job(new Date(Date.now() + days * DAY).toISOString().slice(0, 10)),
      s,
    );

  // Urgent and requested: expected within 2 days.
  expect(await run(2)).toEqual({ followUpsRaised: 0 });
  expect(await run(3)).toEqual({ followUpsRaised: 1 });
  const [task] = await followUps();
  expect(task).toMatchObject({
    owner: { reference: 'Practitioner/c1' },
    for: { reference: 'Patient/p1' },
    priority: 'urgent',
  });
  expect(task?.description).toBe(
    'Referral: Rental assistance: not yet received by Valley Housing Alliance after 3 days (expected within 2). Follow up.',
  );
  // While that follow-up is open, no second one.
  expect(await run(4)).toEqual({ followUpsRaised: 0 });
  expect(await followUps()).toHaveLength(1);
});
