// The task-closure hook alone, on a real database: the write that meets a task's purpose closes it
// in the same transaction; a write that does not leaves it open.
import type { Communication, Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { hookBench } from '../../../test/support/hook-test-repository.js';
import { TASK_TYPE_SYSTEM } from '../worklist/follow-up-task.js';
import { taskClosureHook } from './task-closure-hook.js';

const bench = hookBench((clock) => ({ Communication: [taskClosureHook(clock)], Task: [taskClosureHook(clock)] }));

const contactTask: Task = {
  resourceType: 'Task',
  status: 'requested',
  intent: 'order',
  code: { coding: [{ system: TASK_TYPE_SYSTEM, code: 'post-discharge-contact' }] },
  for: { reference: 'Patient/p' },
  focus: { reference: 'EpisodeOfCare/ep' },
  restriction: { period: { start: '2026-11-25', end: '2026-12-09' } },
};
const call = (status: Communication['status'], medium: string): Communication => ({
  resourceType: 'Communication',
  status,
  subject: { reference: 'Patient/p' },
  about: [{ reference: 'EpisodeOfCare/ep' }],
  medium: [{ coding: [{ code: medium }] }],
  sent: '2026-11-26T15:00:00Z',
});

it.each([
  ['a successful phone call about the episode closes the contact task', call('completed', 'PHONE'), 'completed'],
  ['a failed attempt leaves it open', call('not-done', 'PHONE'), 'requested'],
  ['a letter is not an interactive contact', call('completed', 'WRITTEN'), 'requested'],
] as const)('%s', async (_name, communication, status) => {
  const b = await bench.open();
  const task = await b.create(contactTask);
  await b.create(communication);
  const [after] = await b.search<Task>('Task', [['_id', task.id]]);
  expect(after?.status).toBe(status);
  if (status === 'completed') expect(after?.executionPeriod?.end).toBe(b.clock.nowIso());
});
