// What changed between two versions of a care plan or one of its goals, in words a coordinator can
// read ("added the goal 'HbA1c below 8%'", "changed the goal 'Walk daily' from in-progress to
// achieved"). Pure.
import type { CarePlan, CarePlanActivity, Goal } from '@medplum/fhirtypes';

function activityName(a: CarePlanActivity): string {
  return (
    a.detail?.description ?? a.detail?.code?.text ?? a.reference?.display ?? a.reference?.reference ?? 'an activity'
  );
}

function activityKey(a: CarePlanActivity): string {
  return a.reference?.reference ?? a.detail?.description ?? a.detail?.code?.text ?? JSON.stringify(a);
}

const goalName = (g: Goal) => g.description.text ?? g.description.coding?.[0]?.display ?? 'a goal';

export function describeCarePlanChange(previous: CarePlan | undefined, next: CarePlan | undefined): string[] {
  if (!next) return ['removed the care plan'];
  if (!previous) return [`created the care plan${next.title ? ` "${next.title}"` : ''}`];
  const changes: string[] = [];
  if (previous.status !== next.status)
    changes.push(`changed the plan's status from ${previous.status} to ${next.status}`);
  const before = new Map((previous.activity ?? []).map((a) => [activityKey(a), a]));
  const after = new Map((next.activity ?? []).map((a) => [activityKey(a), a]));
  for (const [key, a] of after) {
    const old = before.get(key);
    if (!old) changes.push(`added the activity "${activityName(a)}"`);
    else if (old.detail?.status !== a.detail?.status && a.detail?.status)
      changes.push(`marked the activity "${activityName(a)}" ${a.detail.status}`);
    else if (JSON.stringify(old) !== JSON.stringify(a)) changes.push(`changed the activity "${activityName(a)}"`);
  }
  for (const [key, a] of before) if (!after.has(key)) changes.push(`removed the activity "${activityName(a)}"`);
  const goalsBefore = new Set((previous.goal ?? []).map((g) => g.reference));
  const goalsAfter = new Set((next.goal ?? []).map((g) => g.reference));
  for (const g of next.goal ?? [])
    if (!goalsBefore.has(g.reference)) changes.push(`linked the goal ${g.display ? `"${g.display}"` : g.reference}`);
  for (const g of previous.goal ?? [])
    if (!goalsAfter.has(g.reference)) changes.push(`unlinked the goal ${g.display ? `"${g.display}"` : g.reference}`);
  if (
    changes.length === 0 &&
    JSON.stringify({ ...previous, meta: undefined }) !== JSON.stringify({ ...next, meta: undefined })
  )
    changes.push('edited the plan');
  return changes;
}

export function describeGoalChange(previous: Goal | undefined, next: Goal | undefined): string[] {
  if (!next) return previous ? [`removed the goal "${goalName(previous)}"`] : [];
  if (!previous) return [`added the goal "${goalName(next)}"`];
  const changes: string[] = [];
  if (previous.lifecycleStatus !== next.lifecycleStatus)
    changes.push(`changed the goal "${goalName(next)}" from ${previous.lifecycleStatus} to ${next.lifecycleStatus}`);
  const wasAchieved = previous.achievementStatus?.coding?.[0]?.code;
  const achieved = next.achievementStatus?.coding?.[0]?.code;
  if (wasAchieved !== achieved && achieved)
    changes.push(
      `recorded progress on "${goalName(next)}": ${next.achievementStatus?.text ?? next.achievementStatus?.coding?.[0]?.display ?? achieved}`,
    );
  if (goalName(previous) !== goalName(next))
    changes.push(`renamed the goal "${goalName(previous)}" to "${goalName(next)}"`);
  if (JSON.stringify(previous.target) !== JSON.stringify(next.target))
    changes.push(`changed the target of "${goalName(next)}"`);
  if (previous.priority?.coding?.[0]?.code !== next.priority?.coding?.[0]?.code && next.priority)
    changes.push(
      `set the priority of "${goalName(next)}" to ${next.priority.coding?.[0]?.display ?? next.priority.text}`,
    );
  if (changes.length === 0) changes.push(`edited the goal "${goalName(next)}"`);
  return changes;
}
