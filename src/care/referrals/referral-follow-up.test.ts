import type { Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { referralFollowUpTask } from './referral-follow-up.js';

const referral = (requester?: string, priority?: Task['priority']): Task => ({
  resourceType: 'Task',
  id: 'r1',
  status: 'rejected',
  intent: 'order',
  for: { reference: 'Patient/p' },
  ...(requester ? { requester: { reference: requester } } : {}),
  ...(priority ? { priority } : {}),
});

it.each([
  ['the coordinator when the patient has one', referral('Practitioner/pcp'), 'Practitioner/c', 'Practitioner/c'],
  ['else the requesting practitioner', referral('Practitioner/pcp'), undefined, 'Practitioner/pcp'],
  ['no one when an organization asked and no coordinator', referral('Organization/o'), undefined, undefined],
] as const)('owned by %s', (_name, task, coordinator, owner) => {
  const followUp = referralFollowUpTask({
    task,
    coordinator: coordinator ? { reference: coordinator } : undefined,
    description: 'Declined',
    at: '2026-12-03T15:00:00Z',
    today: '2026-12-03',
  });
  expect(followUp.owner?.reference).toBe(owner);
  expect(followUp).toMatchObject({ focus: { reference: 'Task/r1' }, for: { reference: 'Patient/p' } });
  expect(followUp.restriction?.period?.end).toBe('2026-12-03');
});

it('as urgent as the referral', () => {
  const input = { coordinator: undefined, description: 'x', at: '2026-12-03T15:00:00Z', today: '2026-12-03' };
  expect(referralFollowUpTask({ ...input, task: referral(undefined, 'urgent') }).priority).toBe('urgent');
  expect(referralFollowUpTask({ ...input, task: referral() }).priority).toBe('routine');
});
