// A referral is a ServiceRequest with a fulfilment Task (code `fulfill`, focus the request) whose
// status moves through the closed-loop referral states of the Gravity Project SDOH Clinical Care IG
// (HL7 FHIR, "Checking Task Status": requested -> received -> accepted | rejected; accepted ->
// in-progress; in-progress <-> on-hold; in-progress -> completed | failed; cancelled from any open
// state). The end states are completed, rejected, cancelled and failed. The loop is closed only
// when the outcome is back: a completed Task names it in Task.output (a report, a note, an
// appointment that took place); a rejected or failed one says why (Task.statusReason). Pure.
import type { ServiceRequest, Task } from '@medplum/fhirtypes';

export const TASK_CODE_SYSTEM = 'http://hl7.org/fhir/CodeSystem/task-code';
/** SNOMED CT 3457005 "Patient referral", the category Gravity gives referral ServiceRequests. */
export const REFERRAL_CATEGORY = { system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' };

/** The states a referral may move to from each state (a status may also stay as it is). */
const NEXT: Readonly<Record<string, readonly string[]>> = {
  requested: ['received', 'accepted', 'rejected', 'cancelled'],
  received: ['accepted', 'rejected', 'cancelled'],
  accepted: ['in-progress', 'completed', 'failed', 'cancelled'],
  'in-progress': ['on-hold', 'completed', 'failed', 'cancelled'],
  'on-hold': ['in-progress', 'failed', 'cancelled'],
  rejected: [],
  completed: [],
  failed: [],
  cancelled: [],
};

export const OPEN_REFERRAL_STATES: readonly string[] = ['requested', 'received', 'accepted', 'in-progress', 'on-hold'];

/** End states that leave the need unmet: the coordinator chooses another destination. */
export const UNMET_REFERRAL_STATES: readonly string[] = ['rejected', 'failed'];

export function isReferralRequest(request: ServiceRequest): boolean {
  return (request.category ?? []).some((c) =>
    (c.coding ?? []).some((x) => x.system === REFERRAL_CATEGORY.system && x.code === REFERRAL_CATEGORY.code),
  );
}

export function isReferralTask(task: Task | undefined): task is Task {
  return (
    task !== undefined &&
    Boolean(task.focus?.reference?.startsWith('ServiceRequest/')) &&
    (task.code?.coding ?? []).some((c) => c.system === TASK_CODE_SYSTEM && c.code === 'fulfill')
  );
}

export type TransitionCheck = { ok: true } | { ok: false; issues: string[] };

/** Whether a referral Task may go from `previous` to `next`, and what the new state needs. */
export function checkReferralTransition(previous: Task | undefined, next: Task): TransitionCheck {
  const issues: string[] = [];
  const from = previous?.status;
  if (from === undefined) {
    if (!['draft', 'requested'].includes(next.status))
      issues.push(`A referral starts as requested, not ${next.status}`);
  } else if (from !== next.status && !(NEXT[from] ?? []).includes(next.status)) {
    const allowed = NEXT[from] ?? [];
    issues.push(
      allowed.length
        ? `A referral that is ${from} can become ${allowed.join(', ')}, not ${next.status}`
        : `A referral that is ${from} is closed and cannot become ${next.status}`,
    );
  }
  if (from !== next.status) {
    if (UNMET_REFERRAL_STATES.includes(next.status) && !next.statusReason?.text && !next.statusReason?.coding?.length)
      issues.push(`Say why the referral is ${next.status} (Task.statusReason)`);
    if (next.status === 'completed' && !(next.output ?? []).length)
      issues.push('A referral is completed with its outcome (Task.output: a report, a note or the appointment)');
  }
  return issues.length ? { ok: false, issues } : { ok: true };
}

/** The fulfilment Task a new referral gets: sent to the performer, due per its first state. */
export function fulfilmentTask(request: ServiceRequest & { id: string }, authoredOn: string): Task {
  const performer = request.performer?.[0];
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority: request.priority ?? 'routine',
    code: { coding: [{ system: TASK_CODE_SYSTEM, code: 'fulfill', display: 'Fulfill the focal request' }] },
    description: `Referral: ${request.code?.text ?? request.code?.coding?.[0]?.display ?? 'service'}`,
    focus: { reference: `ServiceRequest/${request.id}` },
    ...(request.subject ? { for: request.subject } : {}),
    authoredOn,
    ...(request.requester ? { requester: request.requester } : {}),
    ...(performer ? { owner: performer } : {}),
  } as Task;
}

/** What the ServiceRequest's status becomes when its fulfilment Task reaches `taskStatus`. */
export function requestStatusFor(taskStatus: Task['status']): ServiceRequest['status'] | undefined {
  if (taskStatus === 'completed') return 'completed';
  if (taskStatus === 'cancelled') return 'revoked';
  // Paused and resumed with its fulfilment (R4 ServiceRequest.status on-hold: "suspended").
  if (taskStatus === 'on-hold') return 'on-hold';
  if (taskStatus === 'in-progress') return 'active';
  return undefined;
}
