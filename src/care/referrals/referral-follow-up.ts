// The task that follows a referral whose loop did not close by itself (declined, failed, or waiting
// past its time): for the patient's care coordinator, or the requester when the patient has none,
// due today, as urgent as the referral. One shape for the referral hook and the daily sweep. Pure.
import type { Reference, Task } from '@medplum/fhirtypes';
import { followUpTask } from '../worklist/follow-up-task.js';

export function referralFollowUpTask(input: {
  /** The referral's fulfilment Task (with its id). */
  readonly task: Task;
  readonly coordinator: Reference | undefined;
  readonly description: string;
  readonly at: string;
  readonly today: string;
}): Task {
  const { task } = input;
  const requester = task.requester?.reference?.startsWith('Practitioner/') ? task.requester : undefined;
  return followUpTask({
    code: 'referral-follow-up',
    display: 'Referral follow-up',
    description: input.description,
    patient: task.for,
    focus: `Task/${task.id}`,
    owner: input.coordinator ?? requester,
    priority: task.priority ?? 'routine',
    at: input.at,
    due: input.today,
  });
}
