import type { Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { describeDue, orderWorklist } from './task-due.js';

const task = (end?: string): Task => ({
  resourceType: 'Task',
  status: 'requested',
  intent: 'order',
  ...(end ? { restriction: { period: { end } } } : {}),
});

it.each([
  [task('2026-11-24'), { text: 'Overdue since 24 Nov 2026', overdue: true, dueToday: false }],
  [task('2026-11-25T17:00:00Z'), { text: 'Due today', overdue: false, dueToday: true }],
  [task('2026-11-26'), { text: 'Due 26 Nov 2026', overdue: false, dueToday: false }],
  [task(), { text: 'No due date', overdue: false, dueToday: false }],
])('describeDue(%j) on 2026-11-25', (t, expected) => expect(describeDue(t, '2026-11-25')).toEqual(expected));

it('orders the worklist: overdue, due today, later, undated; by priority within each', () => {
  const t = (id: string, end: string | undefined, priority: Task['priority'] = 'routine'): Task => ({
    ...task(end),
    id,
    priority,
  });
  const ordered = orderWorklist(
    [
      t('later', '2026-12-01'),
      t('today-routine', '2026-11-25'),
      t('undated', undefined, 'stat'),
      t('today-stat', '2026-11-25', 'stat'),
      t('overdue-old', '2026-11-01'),
      t('overdue-urgent', '2026-11-20', 'urgent'),
    ],
    '2026-11-25',
  );
  expect(ordered.map((x) => x.id)).toEqual([
    'overdue-urgent',
    'overdue-old',
    'today-stat',
    'today-routine',
    'later',
    'undated',
  ]);
});
