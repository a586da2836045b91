// The shared plan's consequences of a write, in its transaction: the Provenance of every
// contribution (who, in which role, which version), the open Tasks of activities taken out of the
// plan cancelled with the reason, and a task for the coordinator when a new goal contradicts another
// one. Reads go through the transaction's Store interface (no SQL); the clock is passed in.
import type { CarePlan, Goal, Task } from '@medplum/fhirtypes';
import type { WriteHook } from '../../store/care-api.js';
import type { ClinicClock } from '../calendar/clinic-clock.js';
import { careCoordinatorOf } from '../careteam/team-roles.js';
import { buildProvenance } from './build-provenance.js';
import { findGoalConflicts } from './find-goal-conflicts.js';
import { cancelTask, tasksToCancel } from './replan-tasks.js';

const goalName = (g: Goal) => g.description.text ?? g.description.coding?.[0]?.display ?? 'a goal';

export function carePlanHook(clock: ClinicClock): WriteHook {
  return async (event, tx, repo) => {
    const at = clock.nowIso();
    const provenance = buildProvenance(event, at);
    if (provenance) await repo.create(provenance);

    if (event.resourceType === 'CarePlan' && event.interaction !== 'create') {
      const by = event.agent?.name;
      for (const { task, reason } of tasksToCancel(
        event.previous as CarePlan | undefined,
        event.resource as CarePlan | undefined,
      )) {
        const current = await tx.readCurrent<Task>('Task', task.slice('Task/'.length));
        if (!current) continue;
        const cancelled = cancelTask(current, reason, by, at);
        if (cancelled) await repo.update(cancelled as Task & { id: string });
      }
    }

    if (event.resourceType === 'Goal' && event.resource && event.agent) {
      const goal = event.resource as Goal;
      const patient = goal.subject.reference;
      if (!patient?.startsWith('Patient/')) return;
      const patientId = patient.slice('Patient/'.length);
      const others = await tx.searchEvery<Goal>('Goal', [['patient', patientId]]);
      const conflicts = findGoalConflicts(goal, others);
      if (conflicts.length === 0) return;
      const coordinator = await careCoordinatorOf(tx, patientId);
      const today = clock.today();
      await repo.create({
        resourceType: 'Task',
        status: 'requested',
        intent: 'order',
        priority: 'urgent',
        code: {
          coding: [
            {
              system: 'http://careloop.org/fhir/CodeSystem/task-type',
              code: 'care-plan-review',
              display: 'Care plan review',
            },
          ],
        },
        description: `Conflicting goals: "${goalName(goal)}" (by ${event.agent.name}, ${event.agent.role}) and ${conflicts
          .map((c) => `"${goalName(c)}"`)
          .join(', ')} set different targets for the same measure. Agree one target with the team.`,
        for: { reference: patient },
        focus: { reference: `Goal/${event.id}` },
        authoredOn: at,
        restriction: { period: { end: today } },
        ...(coordinator ? { owner: coordinator } : {}),
      } satisfies Task);
    }
  };
}
