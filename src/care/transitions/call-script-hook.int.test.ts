// The call-script hook alone, on a real database: a completed post-discharge call raises a task
// for each answer that signals trouble, to the team member who acts on it, once.
import type { QuestionnaireResponse, Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { careTeamOf, hookBench } from '../../../test/support/hook-test-repository.js';
import { CALL_SCRIPT_URL } from './call-script.js';
import { callScriptHook } from './call-script-hook.js';

const bench = hookBench((clock) => ({ QuestionnaireResponse: [callScriptHook(clock)] }));

const b = (linkId: string, value: boolean) => ({ linkId, answer: [{ valueBoolean: value }] });
const call = (status: QuestionnaireResponse['status'], item: QuestionnaireResponse['item']): QuestionnaireResponse => ({
  resourceType: 'QuestionnaireResponse',
  status,
  questionnaire: CALL_SCRIPT_URL,
  subject: { reference: 'Patient/p' },
  item,
});
const tasksOf = (b: { search<T>(t: string, q: [string, string][]): Promise<T[]> }) =>
  b.search<Task>('Task', [['patient', 'p']]);

it.each([
  ['all well: no task', [b('warning-signs', false), b('has-medicines', true), b('transport', true)], []],
  ['a warning sign: the physician, stat', [b('warning-signs', true)], [['Practitioner/pcp', 'stat']]],
  ['missing medicines: the pharmacist', [b('has-medicines', false)], [['Practitioner/ph', 'urgent']]],
  ['no transport: the coordinator', [b('transport', false)], [['Practitioner/c', 'urgent']]],
] as const)('%s', async (_name, item, expected) => {
  const bn = await bench.open();
  await bn.create(careTeamOf('p'));
  await bn.create(call('completed', item as never));
  expect((await tasksOf(bn)).map((t) => [t.owner?.reference, t.priority])).toEqual(expected);
});

it('an unfinished call raises nothing; completing it raises its tasks once, however often it is saved', async () => {
  const bn = await bench.open();
  await bn.create(careTeamOf('p'));
  const draft = await bn.create(call('in-progress', [b('transport', false)]));
  expect(await tasksOf(bn)).toEqual([]);
  const done = await bn.update({ ...draft, status: 'completed' });
  await bn.update({ ...done, item: [b('transport', false), b('questions', false)] });
  expect(await tasksOf(bn)).toHaveLength(1);
});
