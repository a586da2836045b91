// The daily care plan review sweep, a durable job: each day's run has its own id
// (care-plan-review:YYYY-MM-DD), so however many servers start or restart, the day's sweep runs
// once (the store's claim is atomic), and it queues the next day's before it ends. It raises a
// review task, for the patient's care coordinator, for every active plan not reviewed within the
// cadence (src/care/careplan/plans-due-for-review.ts).
import type { CarePlan, Task } from '@medplum/fhirtypes';
import { careCoordinatorOf } from '../../care/assessment/assessment-hook.js';
import { plansDueForReview } from '../../care/careplan/plans-due-for-review.js';
import { OPEN_TASK_STATUSES } from '../../care/worklist/order-worklist.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Store } from '../../store/store.js';
import type { JobHandler } from '../job-runner.js';

export const CARE_PLAN_REVIEW_JOB = 'care-plan-review';
const DAY = 86_400_000;

export const reviewJobId = (day: string) => `${CARE_PLAN_REVIEW_JOB}:${day}`;

/** Queues the sweep of `day` (due at its start), unless some server already did. */
export async function scheduleReviewSweep(store: Store, day: string): Promise<void> {
  const id = reviewJobId(day);
  if (await store.getJob(id)) return;
  try {
    await store.enqueueJob({ id, kind: CARE_PLAN_REVIEW_JOB, payload: { day }, runAt: Date.parse(`${day}T00:00:00Z`) });
  } catch (err) {
    // Another server queued the same day between our look and our insert: that one will run.
    if (!(await store.getJob(id))) throw err;
  }
}

export function carePlanReviewHandler(options: { cadenceDays: number; now?: () => number }): JobHandler {
  const now = options.now ?? (() => Date.now());
  return async (job, store) => {
    const repo = createFhirRepository(store, { now });
    const all = async <T>(type: string, query: [string, string][]) => {
      const { page } = await repo.search(type, [...query, ['_count', '5000']]);
      return page.matches.filter((m) => m.json).map((m) => JSON.parse(m.json as string) as T);
    };
    const plans = await all<CarePlan>('CarePlan', [['status', 'active']]);
    const open = await all<Task>('Task', [
      ['code', 'http://careloop.org/fhir/CodeSystem/task-type|care-plan-review'],
      ['status', OPEN_TASK_STATUSES.join(',')],
    ]);
    const today = new Date(now()).toISOString().slice(0, 10);
    const due = plansDueForReview(plans, open, now(), options.cadenceDays);
    for (const plan of due) {
      const patient = plan.subject.reference ?? '';
      const coordinator = patient.startsWith('Patient/') ? await careCoordinatorOf(store, patient.slice(8)) : undefined;
      await repo.create({
        resourceType: 'Task',
        status: 'requested',
        intent: 'order',
        priority: 'routine',
        code: {
          coding: [
            {
              system: 'http://careloop.org/fhir/CodeSystem/task-type',
              code: 'care-plan-review',
              display: 'Care plan review',
            },
          ],
        },
        description: `Review the care plan${plan.title ? ` "${plan.title}"` : ''}: not reviewed in ${options.cadenceDays} days`,
        for: plan.subject,
        focus: { reference: `CarePlan/${plan.id}` },
        authoredOn: new Date(now()).toISOString(),
        restriction: { period: { end: today } },
        ...(coordinator ? { owner: coordinator } : {}),
      } satisfies Task);
    }
    const payloadDay = (job.payload as { day?: string } | null)?.day ?? today;
    await scheduleReviewSweep(store, new Date(Date.parse(`${payloadDay}T00:00:00Z`) + DAY).toISOString().slice(0, 10));
    return { reviewsRaised: due.length };
  };
}
