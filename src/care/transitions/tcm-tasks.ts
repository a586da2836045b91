// The dated work a discharge to the community creates (src/care/transitions/tcm-clock.ts): the
// interactive contact within 2 business days, the face-to-face visit within 7 or 14 days,
// medication reconciliation no later than that visit, and the outreach calls by risk (weekly for
// high risk, a last call near day 25). Each is a Task on the right person's worklist. Pure.
import type { Reference, Task } from '@medplum/fhirtypes';
import { addDays } from '../calendar/calendar-days.js';
import { followUpTask, TASK_TYPE_SYSTEM } from '../worklist/follow-up-task.js';
import { OPEN_TASK_STATUSES } from '../worklist/order-worklist.js';
import { outreachDays, type TcmClock } from './tcm-clock.js';

export interface Owners {
  readonly coordinator?: Reference | undefined;
  readonly pcp?: Reference | undefined;
  readonly pharmacist?: Reference | undefined;
}

const task = (input: {
  code: string;
  display: string;
  description: string;
  due: string;
  priority: Task['priority'];
  patient: string;
  episode: string;
  owner: Reference | undefined;
  at: string;
  from: string;
}): Task => followUpTask({ ...input, focus: input.episode });

/** One visit task, by complexity: 7 days (high) or 14 (moderate); until the physician records it, LACE's suggestion. */
function visitDescription(clock: TcmClock, recorded: boolean): string {
  const days = clock.complexity === 'high' ? 7 : 14;
  return `Face-to-face follow-up visit within ${days} days of discharge (by ${clock.faceToFaceDue}; ${clock.complexity} complexity${recorded ? '' : ' suggested by LACE until the physician records it'})`;
}

function reconciliationDescription(clock: TcmClock): string {
  return `Reconcile medications no later than the face-to-face visit (by ${clock.medicationReconciliationDue})`;
}

/**
 * The open visit and reconciliation tasks of an episode, re-dated to the complexity the physician
 * recorded (the visit task is the one task for the visit: its deadline moves, no second task).
 */
export function retimeVisitTasks(tasks: readonly Task[], clock: TcmClock): Task[] {
  const code = (t: Task) => t.code?.coding?.find((c) => c.system === TASK_TYPE_SYSTEM)?.code;
  return tasks.flatMap((t): Task[] => {
    if (!OPEN_TASK_STATUSES.includes(t.status)) return [];
    if (code(t) === 'post-discharge-visit')
      return [
        {
          ...t,
          description: visitDescription(clock, true),
          restriction: { ...t.restriction, period: { ...t.restriction?.period, end: clock.faceToFaceDue } },
        },
      ];
    if (code(t) === 'medication-reconciliation')
      return [
        {
          ...t,
          description: reconciliationDescription(clock),
          restriction: {
            ...t.restriction,
            period: { ...t.restriction?.period, end: clock.medicationReconciliationDue },
          },
        },
      ];
    return [];
  });
}

export function tcmTasks(input: {
  clock: TcmClock;
  highRisk: boolean;
  patient: string;
  episode: string;
  owners: Owners;
  at: string;
}): Task[] {
  const { clock, owners } = input;
  // The work is for the days from the discharge on (what met it earlier does not count).
  const common = { patient: input.patient, episode: input.episode, at: input.at, from: clock.dischargeDate };
  return [
    task({
      ...common,
      code: 'post-discharge-contact',
      display: 'Post-discharge interactive contact',
      description: `Post-discharge call (TCM): reach the patient by ${clock.contactDue}, 2 business days after discharge; log each attempt`,
      due: clock.contactDue,
      priority: 'urgent',
      owner: owners.coordinator,
    }),
    task({
      ...common,
      code: 'post-discharge-visit',
      display: 'Post-discharge face-to-face visit',
      description: visitDescription(clock, false),
      due: clock.faceToFaceDue,
      priority: input.highRisk ? 'urgent' : 'routine',
      owner: owners.pcp ?? owners.coordinator,
    }),
    task({
      ...common,
      code: 'medication-reconciliation',
      display: 'Medication reconciliation',
      description: reconciliationDescription(clock),
      due: clock.medicationReconciliationDue,
      priority: input.highRisk ? 'urgent' : 'routine',
      owner: owners.pharmacist ?? owners.coordinator,
    }),
    ...outreachDays(input.highRisk).map((day) =>
      task({
        ...common,
        code: 'outreach-call',
        display: 'Outreach call',
        description:
          day === 25
            ? 'Day-25 call before the TCM period ends: symptoms, medicines, appointments, what comes next'
            : `Weekly call (day ${day} after discharge, high readmission risk): symptoms, weight, medicines`,
        due: addDays(clock.dischargeDate, day),
        priority: 'routine',
        owner: owners.coordinator,
      }),
    ),
  ];
}
