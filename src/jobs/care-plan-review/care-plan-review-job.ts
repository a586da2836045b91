// The daily care plan review sweep (a daily sweep job, ../daily-sweep.ts: once per day across servers
// and restarts). It raises a review task, for the patient's care coordinator, for every active plan
// not reviewed within the cadence (src/care/careplan/plans-due-for-review.ts).
import type { CarePlan, Task } from '@medplum/fhirtypes';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { plansDueForReview } from '../../care/careplan/plans-due-for-review.js';
import { careCoordinatorOf } from '../../care/careteam/team-roles.js';
import { followUpTask } from '../../care/worklist/follow-up-task.js';
import { OPEN_TASK_STATUSES } from '../../care/worklist/order-worklist.js';
import { careReaderOf, searchEvery } from '../../store/read-every-page.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Store } from '../../store/store.js';
import { dailyJobId, scheduleDailySweep, sweepDays } from '../daily-sweep.js';
import type { JobHandler } from '../job-runner.js';

export const CARE_PLAN_REVIEW_JOB = 'care-plan-review';

export const reviewJobId = (day: string): string => dailyJobId(CARE_PLAN_REVIEW_JOB, day);

/** Queues the sweep of `day`, unless some server already did. */
export const scheduleReviewSweep = (store: Store, clock: ClinicClock, day: string): Promise<void> =>
  scheduleDailySweep(store, clock, CARE_PLAN_REVIEW_JOB, day);

export function carePlanReviewHandler(options: { cadenceDays: number; clock: ClinicClock }): JobHandler {
  const { clock } = options;
  return async (job, store) => {
    const repo = createFhirRepository(store, { now: clock.now });
    const all = <T>(type: string, query: [string, string][]) => searchEvery<T>(repo, type, query);
    const plans = await all<CarePlan>('CarePlan', [['status', 'active']]);
    const open = await all<Task>('Task', [
      ['code', 'http://careloop.org/fhir/CodeSystem/task-type|care-plan-review'],
      ['status', OPEN_TASK_STATUSES.join(',')],
    ]);
    const today = clock.today();
    const due = plansDueForReview(plans, open, clock.now(), options.cadenceDays);
    for (const plan of due) {
      const patient = plan.subject.reference ?? '';
      const coordinator = patient.startsWith('Patient/')
        ? await careCoordinatorOf(careReaderOf(repo), patient.slice(8))
        : undefined;
      await repo.create(
        followUpTask({
          code: 'care-plan-review',
          display: 'Care plan review',
          description: `Review the care plan${plan.title ? ` "${plan.title}"` : ''}: not reviewed in ${options.cadenceDays} days`,
          patient: plan.subject,
          focus: `CarePlan/${plan.id}`,
          owner: coordinator,
          due: today,
          at: clock.nowIso(),
        }),
      );
    }
    await scheduleReviewSweep(store, clock, sweepDays(job.payload, clock).next);
    return { reviewsRaised: due.length };
  };
}
