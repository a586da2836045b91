import type { Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { measureReferralLoops, median } from './referral-measure.js';

const t = (owner: string, status: Task['status'], authoredOn = '2026-11-01T00:00:00Z'): Task => ({
  resourceType: 'Task',
  status,
  intent: 'order',
  authoredOn,
  owner: { reference: owner, display: owner.split('/')[1] },
});

it.each([
  [[], undefined],
  [[3], 3],
  [[1, 9, 3], 3],
  [[1, 2, 3, 10], 2.5],
])('median of %j is %s', (values, expected) => {
  expect(median(values)).toBe(expected);
});

it('per destination: sent, closed with outcome, rate and median days to close', () => {
  const measures = measureReferralLoops([
    { task: t('Organization/a', 'completed'), completedAt: '2026-11-05T00:00:00Z' },
    { task: t('Organization/a', 'completed'), completedAt: '2026-11-11T00:00:00Z' },
    { task: t('Organization/a', 'rejected') },
    { task: t('Organization/a', 'in-progress') },
    { task: t('Organization/b', 'requested') },
    { task: t('Organization/b', 'draft') },
  ]);
  expect(measures).toEqual([
    {
      destination: 'Organization/a',
      display: 'a',
      sent: 4,
      closed: 2,
      open: 1,
      closureRate: 0.5,
      medianDaysToClose: 7,
    },
    {
      destination: 'Organization/b',
      display: 'b',
      sent: 1,
      closed: 0,
      open: 1,
      closureRate: 0,
      medianDaysToClose: undefined,
    },
  ]);
});
