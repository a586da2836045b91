// The referral hook alone, on a real database: a sent referral gets its fulfilment Task once; the
// Task moves only along the closed-loop states; the request follows it; a declined referral gives
// the coordinator a task to find another destination.
import type { ServiceRequest, Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { careTeamOf, type HookBench, hookBench, statusOf } from '../../../test/support/hook-test-repository.js';
import { referralHook } from './referral-hook.js';
import { isReferralTask, REFERRAL_CATEGORY } from './referral-workflow.js';

const bench = hookBench((clock) => {
  const hook = referralHook(clock);
  return { ServiceRequest: [hook], Task: [hook] };
});

const referral = (status: ServiceRequest['status'] = 'active'): ServiceRequest => ({
  resourceType: 'ServiceRequest',
  status,
  intent: 'order',
  category: [{ coding: [REFERRAL_CATEGORY] }],
  code: { text: 'Home-delivered meals' },
  subject: { reference: 'Patient/p' },
  requester: { reference: 'Practitioner/c' },
  performer: [{ reference: 'Organization/food-bank', display: 'Food bank' }],
});
const fulfilment = async (b: HookBench, request: string) =>
  (await b.search<Task>('Task', [['focus', `ServiceRequest/${request}`]])).filter(isReferralTask);

it('a referral sent to a performer gets one fulfilment Task; a draft gets none until sent', async () => {
  const b = await bench.open();
  const draft = await b.create(referral('draft'));
  expect(await fulfilment(b, draft.id)).toEqual([]);
  const sent = await b.update({ ...draft, status: 'active' });
  await b.update({ ...sent, note: [{ text: 'Prefers mornings' }] });
  const tasks = await fulfilment(b, draft.id);
  expect(tasks).toHaveLength(1);
  expect(tasks[0]).toMatchObject({ status: 'requested', owner: { reference: 'Organization/food-bank' } });
});

it('the Task moves only along the closed-loop states, completes with its outcome, and the request follows', async () => {
  const b = await bench.open();
  const request = await b.create(referral());
  const [task] = (await fulfilment(b, request.id)) as [Task & { id: string }];
  expect(await statusOf(b.repo.update('Task', task.id, { ...task, status: 'completed' }))).toBe(422);
  const accepted = await b.update({ ...task, status: 'accepted' });
  const working = await b.update({ ...accepted, status: 'in-progress' });
  expect(await statusOf(b.repo.update('Task', working.id, { ...working, status: 'completed' }))).toBe(422);
  await b.update({
    ...working,
    status: 'completed',
    output: [{ type: { text: 'outcome' }, valueString: 'Meals delivered from Monday' }],
  });
  expect((await b.search<ServiceRequest>('ServiceRequest', [['_id', request.id]]))[0]?.status).toBe('completed');
});

it('a declined referral needs a reason, and gives the coordinator a follow-up task', async () => {
  const b = await bench.open();
  await b.create(careTeamOf('p'));
  const request = await b.create(referral());
  const [task] = (await fulfilment(b, request.id)) as [Task & { id: string }];
  expect(await statusOf(b.repo.update('Task', task.id, { ...task, status: 'rejected' }))).toBe(422);
  await b.update({ ...task, status: 'rejected', statusReason: { text: 'Outside our delivery area' } });
  const [followUp] = await b.search<Task>('Task', [['focus', `Task/${task.id}`]]);
  expect(followUp).toMatchObject({ status: 'requested', owner: { reference: 'Practitioner/c' } });
  expect(followUp?.description).toContain('Outside our delivery area');
});
