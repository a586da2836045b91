// Closes the patient's open tasks whose purpose a write has just met (close-met-tasks.ts), in the
// same transaction: the contact logged, the reconciliation completed, the discharge, the follow-up
// booked, the visit booked and attended. A task it updates runs the hooks again; this hook ignores
// Tasks, so it does not run twice.
import type { Resource, Task } from '@medplum/fhirtypes';
import type { WriteHook } from '../../store/care-api.js';
import type { ClinicClock } from '../calendar/clinic-clock.js';
import { TASK_TYPE_SYSTEM } from '../worklist/follow-up-task.js';
import { OPEN_TASK_STATUSES } from '../worklist/order-worklist.js';
import { closedTask, patientOf, SELF_CLOSING_TASKS, tasksMetBy } from './close-met-tasks.js';

const TRIGGERS = new Set(['Communication', 'List', 'Encounter', 'Appointment']);

export function taskClosureHook(clock: ClinicClock): WriteHook {
  return async (event, tx, repo) => {
    if (!TRIGGERS.has(event.resourceType) || !event.resource || event.interaction === 'delete') return;
    const resource = { ...event.resource, id: event.id } as Resource & { id: string };
    const patient = patientOf(resource);
    if (!patient?.startsWith('Patient/')) return;
    // The patient's tasks, narrowed here: a patient has few, while the status and code rows of
    // every task in the database are many (searched together, their cost grew with the table —
    // measured on the ADT feed, 1.4 ms a message at 2,000 patients).
    const open = (await tx.searchEvery<Task>('Task', [['patient', patient.slice('Patient/'.length)]])).filter(
      (t) =>
        OPEN_TASK_STATUSES.includes(t.status) &&
        (t.code?.coding ?? []).some((c) => c.system === TASK_TYPE_SYSTEM && SELF_CLOSING_TASKS.includes(c.code ?? '')),
    );
    const at = clock.nowIso();
    for (const m of tasksMetBy(resource, open, clock.dateOf)) await repo.update(closedTask(m, at));
  };
}
