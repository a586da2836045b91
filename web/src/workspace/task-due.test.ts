import type { Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { describeDue } from './task-due.js';

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
