// The assessment hook alone, on a real database: a completed PHQ-9 is scored in the transaction that
// stores it (Observations, concerns, and for item 9 a stat task and a Flag); an incomplete one is
// refused with nothing stored; it is scored once; a form sent to the patient closes when it returns.
import type { Condition, Flag, Observation, QuestionnaireResponse, Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { careTeamOf, hookBench } from '../../../test/support/hook-test-repository.js';
import { assessmentHook } from './assessment-hook.js';

const bench = hookBench((clock) => ({ QuestionnaireResponse: [assessmentHook(clock)] }));

const PHQ9 = 'http://careloop.org/fhir/Questionnaire/phq-9';
const ITEMS = ['44250-9', '44255-8', '44259-0', '44254-1', '44251-7', '44258-2', '44252-5', '44253-3', '44260-8'];
const CODE = ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'];
const phq9 = (scores: readonly number[], status: QuestionnaireResponse['status'] = 'completed', omit?: string) =>
  ({
    resourceType: 'QuestionnaireResponse',
    status,
    questionnaire: PHQ9,
    subject: { reference: 'Patient/p' },
    item: ITEMS.filter((i) => i !== omit).map((linkId, n) => ({
      linkId,
      answer: [{ valueCoding: { system: 'http://loinc.org', code: CODE[scores[n] ?? 0] } }],
    })),
  }) satisfies QuestionnaireResponse;

it('a completed PHQ-9 with item 9 positive: total, concerns, a stat task to the coordinator and a Flag', async () => {
  const b = await bench.open();
  await b.create(careTeamOf('p'));
  const response = await b.create(phq9([3, 3, 3, 1, 0, 0, 0, 0, 1]));
  const observations = await b.search<Observation>('Observation', [
    ['derived-from', `QuestionnaireResponse/${response.id}`],
  ]);
  expect(observations.find((o) => o.code.coding?.[0]?.code === '44261-6')?.valueInteger).toBe(11);
  const concerns = await b.search<Condition>('Condition', [['patient', 'p']]);
  expect(concerns.map((c) => c.code?.coding?.[0]?.code).sort()).toEqual(['depression-symptoms', 'self-harm-risk']);
  const [task] = await b.search<Task>('Task', [['priority', 'stat']]);
  expect(task?.owner?.reference).toBe('Practitioner/c');
  expect(await b.search<Flag>('Flag', [['patient', 'p']])).toHaveLength(1);
});

it('an incomplete response is refused (422) and nothing is stored', async () => {
  const b = await bench.open();
  await expect(b.repo.create(phq9([1, 1, 1, 1, 1, 1, 1, 1, 0], 'completed', '44252-5'))).rejects.toMatchObject({
    status: 422,
  });
  expect(await b.search('QuestionnaireResponse', [])).toEqual([]);
  expect(await b.search('Observation', [])).toEqual([]);
});

it('scored once when it becomes completed, not on a draft nor on a later save', async () => {
  const b = await bench.open();
  const draft = await b.create(phq9([1, 1, 1, 1, 1, 1, 1, 1, 0], 'in-progress'));
  expect(await b.search('Observation', [])).toEqual([]);
  const done = await b.update({ ...draft, status: 'completed' });
  const scored = (await b.search('Observation', [])).length;
  expect(scored).toBeGreaterThan(0);
  await b.update({ ...done, status: 'amended' });
  expect(await b.search('Observation', [])).toHaveLength(scored);
});

it('the form sent to the patient for this questionnaire is done when the response comes back', async () => {
  const b = await bench.open();
  const sent = await b.create<Task>({
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    code: { coding: [{ system: 'http://careloop.org/fhir/CodeSystem/task-type', code: 'assessment-due' }] },
    for: { reference: 'Patient/p' },
    input: [{ type: { text: 'questionnaire' }, valueCanonical: `${PHQ9}|1.0` }],
  });
  const response = await b.create(phq9([0, 0, 0, 0, 0, 0, 0, 0, 0]));
  const [after] = await b.search<Task>('Task', [['_id', sent.id]]);
  expect(after?.status).toBe('completed');
  expect(after?.output?.[0]?.valueReference?.reference).toBe(`QuestionnaireResponse/${response.id}`);
});
