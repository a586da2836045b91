// Scores a completed QuestionnaireResponse for one of the shipped instruments inside the transaction
// that writes it: the Observations, the new health concerns and, for a safety finding, the stat Task
// and the Flag commit together with the response, or (an incomplete response: 422 naming the item)
// nothing does. A response to any other Questionnaire is stored as it is, unscored. This is the one
// impure part of assessment: it reads the patient's concerns and care team through the Store
// interface of the transaction it is given (no SQL) and uses the clock it is given.
import type { Condition, QuestionnaireResponse, Task } from '@medplum/fhirtypes';
import { OutcomeError } from '../../fhir/outcome.js';
import type { HookReader, TxRepository, WriteHook } from '../../store/care-api.js';
import type { ClinicClock } from '../calendar/clinic-clock.js';
import { careCoordinatorOf } from '../careteam/team-roles.js';
import { OPEN_TASK_STATUSES } from '../worklist/order-worklist.js';
import { concernDefinitions } from './assessment-content.js';
import {
  type BuildContext,
  buildConcerns,
  buildObservations,
  buildSafetyFollowUp,
  CONCERN_SYSTEM,
} from './build-assessment-resources.js';
import { instrumentFor } from './instruments.js';
import { answersOf, checkResponse } from './response-answers.js';

/** The patient's active health concerns raised by Careloop, by concern key. */
async function activeConcerns(tx: HookReader, patient: string): Promise<Set<string>> {
  const conditions = await tx.searchEvery<Condition>('Condition', [
    ['patient', patient],
    ['clinical-status', 'active'],
  ]);
  return new Set(
    conditions.flatMap((c) =>
      (c.code?.coding ?? []).filter((x) => x.system === CONCERN_SYSTEM).map((x) => x.code ?? ''),
    ),
  );
}

async function scoreResponse(
  response: QuestionnaireResponse & { id: string },
  tx: HookReader,
  repo: TxRepository,
  clock: ClinicClock,
) {
  const instrument = instrumentFor(response.questionnaire);
  if (!instrument) return;
  const answers = answersOf(response);
  const issues = checkResponse(instrument.questionnaire, answers);
  if (issues.length > 0)
    throw new OutcomeError('processing', issues.map((i) => i.diagnostics).join('; '), {
      status: 422,
      issues,
    });
  const patient = response.subject?.reference;
  if (!patient?.startsWith('Patient/'))
    throw new OutcomeError('required', `A completed ${instrument.slug} response needs a Patient as its subject`, {
      status: 422,
      expression: ['QuestionnaireResponse.subject'],
    });
  const ctx: BuildContext = {
    response,
    patient: { reference: patient as `Patient/${string}` },
    now: clock.nowIso(),
    today: clock.today(),
  };
  const result = instrument.score(answers, instrument.questionnaire);
  const created = [];
  for (const o of buildObservations(result, ctx)) {
    const { resource } = await repo.create(o.resource);
    created.push({ ...o, id: resource.id as string });
  }
  const patientId = patient.slice('Patient/'.length);
  for (const condition of buildConcerns(created, concernDefinitions(), await activeConcerns(tx, patientId), ctx))
    await repo.create(condition);
  for (const o of created.filter((x) => x.safety && x.positive)) {
    const { task, flag } = buildSafetyFollowUp(o, await careCoordinatorOf(tx, patientId), ctx);
    await repo.create(task);
    await repo.create(flag);
  }
}

/** Forms sent to the patient (Tasks of type assessment-due) for this questionnaire are done once it comes back completed. */
async function closeSentForms(response: QuestionnaireResponse & { id: string }, tx: HookReader, repo: TxRepository) {
  const patient = response.subject?.reference;
  const url = response.questionnaire?.split('|')[0];
  if (!patient?.startsWith('Patient/') || !url) return;
  const open = await tx.searchEvery<Task & { id: string }>('Task', [
    ['patient', patient.slice('Patient/'.length)],
    ['code', 'http://careloop.org/fhir/CodeSystem/task-type|assessment-due'],
    ['status', OPEN_TASK_STATUSES.join(',')],
  ]);
  for (const task of open) {
    if (!task.input?.some((i) => i.valueCanonical?.split('|')[0] === url)) continue;
    await repo.update({
      ...task,
      status: 'completed',
      output: [{ type: { text: 'response' }, valueReference: { reference: `QuestionnaireResponse/${response.id}` } }],
    });
  }
}

export function assessmentHook(clock: ClinicClock): WriteHook {
  return async (event, tx, repo) => {
    if (event.resourceType !== 'QuestionnaireResponse' || !event.resource) return;
    const response = event.resource as QuestionnaireResponse & { id: string };
    // Scored once, when it becomes completed; a later correction is a new response (or amended, unscored).
    if (response.status !== 'completed') return;
    if ((event.previous as QuestionnaireResponse | undefined)?.status === 'completed') return;
    await scoreResponse(response, tx, repo, clock);
    await closeSentForms(response, tx, repo);
  };
}
