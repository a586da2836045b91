// The worklist's order: overdue first (the most urgent priority first, then the longest overdue),
// then due today, then later (by priority, then due date), then undated. A task's due date is
// Task.restriction.period.end, Careloop's convention (R4 Task has no due element); executionPeriod.end
// is read when restriction is absent. Pure: today is passed in.
import type { Task } from '@medplum/fhirtypes';

/**
 * Task statuses that still ask for work: the one list of them (FHIR R4 task-status; a draft is not
 * yet actionable, and completed, cancelled, failed, rejected and entered-in-error are done). The web
 * app does not keep its own: it asks Task/$worklist.
 */
export const OPEN_TASK_STATUSES: readonly string[] = [
  'requested',
  'received',
  'accepted',
  'ready',
  'in-progress',
  'on-hold',
];

/** FHIR request-priority from most to least urgent. */
const PRIORITY_RANK: Readonly<Record<string, number>> = { stat: 0, asap: 1, urgent: 2, routine: 3 };

export function dueDateOf(task: Task): string | undefined {
  return (task.restriction?.period?.end ?? task.executionPeriod?.end)?.slice(0, 10);
}

export function isOverdue(task: Task, today: string): boolean {
  const due = dueDateOf(task);
  return due !== undefined && due < today;
}

export function orderWorklist(tasks: readonly Task[], today: string): Task[] {
  const bucket = (t: Task) => {
    const due = dueDateOf(t);
    return due === undefined ? 3 : due < today ? 0 : due === today ? 1 : 2;
  };
  const rank = (t: Task) => PRIORITY_RANK[t.priority ?? 'routine'] ?? 3;
  return [...tasks].sort(
    (a, b) => bucket(a) - bucket(b) || rank(a) - rank(b) || (dueDateOf(a) ?? '').localeCompare(dueDateOf(b) ?? ''),
  );
}
