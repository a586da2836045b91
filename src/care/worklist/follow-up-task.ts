// One shape for the follow-up work Careloop raises itself (a hook, a daily sweep, the call script):
// a requested Task with a Careloop task type, for the patient, about what caused it, due on a day
// (Task.restriction.period.end, Careloop's due date) and on its owner's worklist. Pure.
import type { Reference, Task } from '@medplum/fhirtypes';

export const TASK_TYPE_SYSTEM = 'http://careloop.org/fhir/CodeSystem/task-type';

export function followUpTask(input: {
  readonly code: string;
  readonly display?: string;
  readonly description: string;
  readonly patient?: Reference | string | undefined;
  readonly focus: string;
  readonly owner?: Reference | undefined;
  readonly priority?: Task['priority'];
  /** The clinic day it is due, YYYY-MM-DD (the clinic clock's today for "now"). */
  readonly due: string;
  /** The first day the work is for (Task.restriction.period.start), e.g. the discharge day. */
  readonly from?: string;
  readonly at: string;
}): Task {
  const patient = typeof input.patient === 'string' ? { reference: `Patient/${input.patient}` } : input.patient;
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority: input.priority ?? 'routine',
    code: {
      coding: [{ system: TASK_TYPE_SYSTEM, code: input.code, ...(input.display ? { display: input.display } : {}) }],
    },
    description: input.description,
    ...(patient ? { for: patient } : {}),
    focus: { reference: input.focus },
    authoredOn: input.at,
    restriction: { period: { ...(input.from ? { start: input.from } : {}), end: input.due } },
    ...(input.owner ? { owner: input.owner } : {}),
  } as Task;
}
