// The daily review sweep runs once per day across servers and restarts, and raises one review task
// per overdue plan, for the coordinator.
import type { Bundle, Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { patientWithCoordinator } from '../../../test/support/hook-test-repository.js';
import { freshJobStore, waitFor } from '../../../test/support/job-test-store.js';
import { addDays } from '../../care/calendar/calendar-days.js';
import { createClinicClock } from '../../care/calendar/clinic-clock.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import { startJobRunner } from '../job-runner.js';
import {
  CARE_PLAN_REVIEW_JOB,
  carePlanReviewHandler,
  reviewJobId,
  scheduleReviewSweep,
} from './care-plan-review-job.js';

const jobStore = freshJobStore();

it('runs each day’s sweep once across two runners and a restart, one review task per plan', async () => {
  const store = await jobStore.open();
  const repo = createFhirRepository(store);
  await repo.processBundle(
    {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        ...patientWithCoordinator(),
        {
          resource: {
            resourceType: 'CarePlan',
            id: 'cp1',
            status: 'active',
            intent: 'plan',
            subject: { reference: 'Patient/p1' },
          },
          request: { method: 'PUT', url: 'CarePlan/cp1' },
        },
      ],
    } as Bundle,
    '',
  );
  const clock = createClinicClock('America/Chicago');
  const today = clock.today();
  // Two servers start: both schedule the day; both run jobs.
  await scheduleReviewSweep(store, clock, today);
  await scheduleReviewSweep(store, clock, today);
  const handlers = { [CARE_PLAN_REVIEW_JOB]: carePlanReviewHandler({ cadenceDays: 0, clock }) };
  const a = startJobRunner(store, handlers, { intervalMs: 20 });
  const b = startJobRunner(store, handlers, { intervalMs: 20 });
  const s = store;
  await waitFor(async () => (await s.getJob(reviewJobId(today)))?.status === 'completed');
  await a.stop();
  await b.stop();
  expect((await s.getJob(reviewJobId(today)))?.result).toEqual({ reviewsRaised: 1 });

  // A restart the same day: the day's sweep is done and is not run again.
  await scheduleReviewSweep(s, clock, today);
  const c = startJobRunner(s, handlers, { intervalMs: 20 });
  await c.idle();
  await c.stop();

  const { page } = await repo.search('Task', [
    ['code', 'http://careloop.org/fhir/CodeSystem/task-type|care-plan-review'],
  ]);
  const tasks = page.matches.map((m) => JSON.parse(m.json as string) as Task);
  expect(tasks).toHaveLength(1);
  expect(tasks[0]).toMatchObject({ focus: { reference: 'CarePlan/cp1' }, owner: { reference: 'Practitioner/c1' } });
  // The next day's sweep is queued, for tomorrow.
  const tomorrow = addDays(today, 1);
  expect((await s.getJob(reviewJobId(tomorrow)))?.status).toBe('queued');
});
