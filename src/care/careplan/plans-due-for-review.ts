// Care plans whose review is due: active plans not reviewed within the cadence (default 90 days;
// CMS Chronic Care Management expects the plan to be reviewed and revised as needed, and 90 days
// is Careloop's default, configurable with CARELOOP_PLAN_REVIEW_DAYS). A plan was last reviewed
// on the date of its review extension, else when it was last changed. A plan that already has an
// open review task gets no second one. Pure.
import type { CarePlan, Task } from '@medplum/fhirtypes';

export const REVIEWED_EXTENSION = 'http://careloop.org/fhir/StructureDefinition/care-plan-reviewed';
export const DEFAULT_REVIEW_DAYS = 90;
const DAY = 86_400_000;

export function lastReviewed(plan: CarePlan): string | undefined {
  return (
    plan.extension?.find((e) => e.url === REVIEWED_EXTENSION)?.valueDateTime ??
    plan.meta?.lastUpdated ??
    plan.created ??
    plan.period?.start
  );
}

export function plansDueForReview(
  plans: readonly CarePlan[],
  openTasks: readonly Task[],
  now: number,
  cadenceDays: number = DEFAULT_REVIEW_DAYS,
): CarePlan[] {
  const alreadyAsked = new Set(
    openTasks.filter((t) => t.code?.coding?.some((c) => c.code === 'care-plan-review')).map((t) => t.focus?.reference),
  );
  return plans.filter((plan) => {
    if (plan.status !== 'active' || alreadyAsked.has(`CarePlan/${plan.id}`)) return false;
    const reviewed = lastReviewed(plan);
    return reviewed !== undefined && now - Date.parse(reviewed) >= cadenceDays * DAY;
  });
}
