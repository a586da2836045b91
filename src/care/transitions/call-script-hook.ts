// A completed post-discharge call (a QuestionnaireResponse to the call script) creates, in the same
// transaction, a task for each answer that signals trouble (src/care/transitions/call-script.ts).
import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import type { WriteHook } from '../../store/care-api.js';
import type { ClinicClock } from '../calendar/clinic-clock.js';
import { careTeamRoles } from '../careteam/team-roles.js';
import { CALL_SCRIPT_URL, callFollowUps } from './call-script.js';

export function callScriptHook(clock: ClinicClock): WriteHook {
  return async (event, tx, repo) => {
    if (event.resourceType !== 'QuestionnaireResponse' || !event.resource || event.interaction === 'delete') return;
    const response = event.resource as QuestionnaireResponse;
    if (!response.questionnaire?.startsWith(CALL_SCRIPT_URL) || response.status !== 'completed') return;
    if ((event.previous as QuestionnaireResponse | undefined)?.status === 'completed') return;
    const patient = response.subject?.reference?.startsWith('Patient/')
      ? response.subject.reference.slice(8)
      : undefined;
    const owners = patient ? await careTeamRoles(tx, patient) : {};
    for (const task of callFollowUps({ ...response, id: event.id }, owners, clock.nowIso(), clock.today()))
      await repo.create(task);
  };
}
