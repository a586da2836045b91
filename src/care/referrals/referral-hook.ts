// A referral's consequences of a write, in its transaction: a new referral (ServiceRequest with the
// "Patient referral" category, active, naming a performer) gets its fulfilment Task at once, so it
// is never sent and forgotten; every change of the Task's status must follow the closed-loop
// states (422 otherwise); the request follows its Task (completed, revoked); and a declined
// referral gives the coordinator a task to find another destination.
import type { ServiceRequest, Task } from '@medplum/fhirtypes';
import { OutcomeError } from '../../fhir/outcome.js';
import type { WriteHook } from '../../store/care-api.js';
import type { ClinicClock } from '../calendar/clinic-clock.js';
import { careCoordinatorOf } from '../careteam/team-roles.js';
import { referralFollowUpTask } from './referral-follow-up.js';
import {
  checkReferralTransition,
  fulfilmentTask,
  isReferralRequest,
  isReferralTask,
  requestStatusFor,
  UNMET_REFERRAL_STATES,
} from './referral-workflow.js';

export function referralHook(clock: ClinicClock): WriteHook {
  return async (event, tx, repo) => {
    if (event.interaction === 'delete' || !event.resource) return;
    const at = clock.nowIso();

    if (event.resourceType === 'ServiceRequest') {
      const request = event.resource as ServiceRequest & { id: string };
      if (!isReferralRequest(request) || request.status !== 'active' || !request.performer?.length) return;
      const existing = await tx.searchEvery<Task>('Task', [['focus', `ServiceRequest/${event.id}`]]);
      if (existing.some(isReferralTask)) return;
      await repo.create(fulfilmentTask({ ...request, id: event.id }, at));
      return;
    }

    if (event.resourceType !== 'Task') return;
    const task = event.resource as Task;
    if (!isReferralTask(task)) return;
    const previous = event.previous as Task | undefined;
    const check = checkReferralTransition(previous, task);
    if (!check.ok) {
      throw new OutcomeError('business-rule', check.issues.join('; '), {
        status: 422,
        issues: check.issues.map((diagnostics) => ({ severity: 'error', code: 'business-rule', diagnostics })),
      });
    }
    if (previous?.status === task.status) return;

    const requestId = (task.focus?.reference ?? '').slice('ServiceRequest/'.length);
    const status = requestStatusFor(task.status);
    if (status) {
      const request = await tx.readCurrent<ServiceRequest & { id: string }>('ServiceRequest', requestId);
      if (request) {
        if (request.status !== status) await repo.update({ ...request, status });
      }
    }
    if (UNMET_REFERRAL_STATES.includes(task.status)) {
      const patient = task.for?.reference;
      const coordinator = patient?.startsWith('Patient/')
        ? await careCoordinatorOf(tx, patient.slice('Patient/'.length))
        : undefined;
      const by = task.owner?.display ?? task.owner?.reference ?? 'the receiving organization';
      const reason = task.statusReason?.text ?? task.statusReason?.coding?.[0]?.display ?? 'no reason given';
      await repo.create(
        referralFollowUpTask({
          task: { ...task, id: event.id },
          coordinator,
          description: `${task.description ?? 'Referral'} ${task.status === 'failed' ? 'could not be completed by' : 'was declined by'} ${by} (${reason}): choose another destination.`,
          at,
          today: clock.today(),
        }),
      );
    }
  };
}
