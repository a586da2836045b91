import type { Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { completedAtOf, measureReferralLoops, median } from './referral-measure.js';

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

const at = (status: Task['status'], lastUpdated: string): Task => ({
  resourceType: 'Task',
  status,
  intent: 'order',
  meta: { lastUpdated },
});

it.each([
  ['never completed', [at('requested', '2026-11-01T00:00:00Z'), at('accepted', '2026-11-02T00:00:00Z')], undefined],
  [
    'the first completed version, in any order, not a later edit',
    [
      at('completed', '2026-11-09T10:00:00Z'),
      at('accepted', '2026-11-02T00:00:00Z'),
      at('completed', '2026-11-05T08:00:00+02:00'),
    ],
    '2026-11-05T06:00:00.000Z',
  ],
  ['no versions', [], undefined],
])('completedAtOf: %s', (_name, versions, expected) => {
  expect(completedAtOf(versions)).toBe(expected);
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
