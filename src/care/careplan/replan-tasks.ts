// When a plan changes, its work follows: an activity taken out of the plan (or a plan that is
// revoked or completed) cancels the open Task it pointed at, with the reason recorded. An activity's
// owner, status and due date live on its Task (CarePlan.activity.reference), so changing them is
// changing the Task itself. Pure.
import type { CarePlan, Task } from '@medplum/fhirtypes';
import { OPEN_TASK_STATUSES } from '../worklist/order-worklist.js';

const taskRefs = (plan: CarePlan | undefined): string[] =>
  (plan?.activity ?? []).map((a) => a.reference?.reference ?? '').filter((r) => r.startsWith('Task/'));

/** The Task references to cancel, each with its reason. */
export function tasksToCancel(
  previous: CarePlan | undefined,
  next: CarePlan | undefined,
): { task: string; reason: string }[] {
  const before = taskRefs(previous);
  if (!next || next.status === 'revoked' || next.status === 'completed' || next.status === 'entered-in-error') {
    const why = next
      ? `the care plan was ${next.status === 'revoked' ? 'stopped' : next.status}`
      : 'the care plan was removed';
    return [...new Set([...before, ...taskRefs(next)])].map((task) => ({ task, reason: `Cancelled because ${why}` }));
  }
  const after = new Set(taskRefs(next));
  return before
    .filter((t) => !after.has(t))
    .map((task) => ({ task, reason: 'Cancelled because it was removed from the care plan' }));
}

/** The Task as cancelled, with the reason and who changed the plan. */
export function cancelTask(task: Task, reason: string, by: string | undefined, now: string): Task | undefined {
  if (!OPEN_TASK_STATUSES.includes(task.status)) return undefined;
  return {
    ...task,
    status: 'cancelled',
    statusReason: { text: reason },
    lastModified: now,
    note: [...(task.note ?? []), { text: reason, time: now, ...(by ? { authorString: by } : {}) }],
  };
}
