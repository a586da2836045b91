// Tasks close themselves when their purpose is met, saying why (and pointing at what met it in
// Task.output), so that no one works a task already done:
// - the TCM contact task, when an interactive contact about its episode succeeds;
// - a reconciliation task, when a reconciliation of the patient's medications is completed;
// - "start discharge planning", when the patient is discharged;
// - "book the follow-up", when an appointment after the discharge is booked;
// - the face-to-face visit task: in progress when the visit is booked, done when it is attended
//   (the appointment fulfilled, or an ambulatory, home or virtual encounter finished).
// Only the patient's open tasks count, and only for an event on or after the first day they are
// for (Task.restriction.period.start: the discharge day for the work after a discharge). Pure.
import type { Appointment, Communication, Encounter, List, Resource, Task } from '@medplum/fhirtypes';
import { TASK_TYPE_SYSTEM } from '../worklist/follow-up-task.js';
import { OPEN_TASK_STATUSES } from '../worklist/order-worklist.js';
import { TRANSITION_CLASSES } from './episode-resources.js';
import { INTERACTIVE_MODES } from './tcm-status.js';

export interface MetTask {
  readonly task: Task & { id: string };
  readonly status: 'completed' | 'in-progress';
  readonly reason: string;
}

/** The task types these rules close: what the hook searches for. */
export const SELF_CLOSING_TASKS: readonly string[] = [
  'post-discharge-contact',
  'medication-reconciliation',
  'discharge-planning',
  'book-follow-up',
  'post-discharge-visit',
];

const OPEN = new Set(OPEN_TASK_STATUSES);
const BOOKED = new Set(['booked', 'arrived', 'checked-in', 'fulfilled']);
const ATTENDED = new Set(['arrived', 'checked-in', 'fulfilled']);
const VISIT_CLASSES = new Set(['AMB', 'HH', 'VR']);
const RECONCILIATION_CODE = 'medication-reconciliation';

const typeOf = (t: Task) => t.code?.coding?.find((c) => c.system === TASK_TYPE_SYSTEM)?.code;

/** The patient a resource is about (Patient/id), for the resource types the rules read. */
export function patientOf(resource: Resource): string | undefined {
  switch (resource.resourceType) {
    case 'Communication':
      return resource.subject?.reference;
    case 'List':
      return resource.subject?.reference;
    case 'Encounter':
      return resource.subject?.reference;
    case 'Appointment':
      return resource.participant.map((p) => p.actor?.reference).find((r) => r?.startsWith('Patient/'));
    default:
      return undefined;
  }
}

export function tasksMetBy(
  resource: Resource & { id: string },
  open: readonly Task[],
  dateOf: (instant: string) => string,
): MetTask[] {
  const ref = `${resource.resourceType}/${resource.id}`;
  const candidates = open.filter((t): t is Task & { id: string } => t.id !== undefined && OPEN.has(t.status));
  const ofType = (code: string) => candidates.filter((t) => typeOf(t) === code);
  /** The event falls in the task's period (on or after its first day). */
  const within = (t: Task, at: string) => {
    const from = t.restriction?.period?.start;
    return !from || dateOf(at) >= dateOf(from);
  };
  const met = (task: Task & { id: string }, reason: string, status: MetTask['status'] = 'completed'): MetTask => ({
    task,
    status,
    reason: `${reason} (${ref})`,
  });

  switch (resource.resourceType) {
    case 'Communication': {
      const c = resource as Communication;
      const interactive = (c.medium ?? []).some((m) => m.coding?.some((x) => INTERACTIVE_MODES.includes(x.code ?? '')));
      if (c.status !== 'completed' || !interactive || !c.sent) return [];
      const episodes = new Set((c.about ?? []).map((a) => a.reference));
      const channel = (c.medium?.[0]?.coding?.[0]?.code ?? 'contact').toLowerCase();
      return ofType('post-discharge-contact')
        .filter((t) => episodes.has(t.focus?.reference) && within(t, c.sent as string))
        .map((t) => met(t, `Reached the patient by ${channel} on ${dateOf(c.sent as string)}`));
    }
    case 'List': {
      const l = resource as List;
      const reconciliation = l.code?.coding?.some((x) => x.code === RECONCILIATION_CODE);
      if (!reconciliation || l.mode !== 'snapshot' || !l.date) return [];
      return ofType('medication-reconciliation')
        .filter((t) => within(t, l.date as string))
        .map((t) => met(t, `Medications reconciled on ${dateOf(l.date as string)}`));
    }
    case 'Encounter': {
      const e = resource as Encounter;
      const klass = e.class?.code ?? '';
      const end = e.period?.end;
      if (
        TRANSITION_CLASSES.includes(klass) &&
        e.status === 'finished' &&
        end &&
        e.hospitalization?.dischargeDisposition
      )
        return ofType('discharge-planning').map((t) => met(t, `Discharged on ${dateOf(end)}`));
      const start = e.period?.start;
      if (VISIT_CLASSES.has(klass) && e.status === 'finished' && start)
        return ofType('post-discharge-visit')
          .filter((t) => within(t, start))
          .map((t) => met(t, `Seen on ${dateOf(start)}`));
      return [];
    }
    case 'Appointment': {
      const a = resource as Appointment;
      if (!a.start || !BOOKED.has(a.status)) return [];
      const start = a.start;
      // An appointment after the discharge answers it; one during the stay does not.
      const after = (t: Task) => within(t, start);
      const booking = ofType('book-follow-up')
        .filter(after)
        .map((t) => met(t, `Follow-up booked for ${dateOf(start)}`));
      const visits = ofType('post-discharge-visit')
        .filter(after)
        .flatMap((t) =>
          ATTENDED.has(a.status)
            ? [met(t, `Seen on ${dateOf(start)}`)]
            : t.status === 'in-progress'
              ? []
              : [met(t, `Visit booked for ${dateOf(start)}`, 'in-progress')],
        );
      return [...booking, ...visits];
    }
    default:
      return [];
  }
}

/** The task as closed (or started) by what met it. */
export function closedTask(m: MetTask, at: string): Task & { id: string } {
  const { task } = m;
  return {
    ...task,
    status: m.status,
    ...(m.status === 'completed' ? { statusReason: { text: m.reason } } : { businessStatus: { text: m.reason } }),
    lastModified: at,
    ...(m.status === 'completed' ? { executionPeriod: { ...task.executionPeriod, end: at } } : {}),
  };
}
