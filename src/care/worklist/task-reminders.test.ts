import type { Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { describeReminder, planTaskReminders, reminderCommunication } from './task-reminders.js';

const task = (id: string, owner: string | undefined, due: string | undefined, extra: Partial<Task> = {}): Task => ({
  resourceType: 'Task',
  id,
  status: 'requested',
  intent: 'order',
  description: `Task ${id}`,
  ...(owner ? { owner: { reference: owner } } : {}),
  ...(due ? { restriction: { period: { end: due } } } : {}),
  ...extra,
});

const today = '2026-11-30';

describe('planTaskReminders', () => {
  it.each([
    ['due yesterday is overdue', task('a', 'Practitioner/c', '2026-11-29'), 'overdue'],
    ['due today', task('a', 'Practitioner/c', '2026-11-30'), 'dueToday'],
    ['due tomorrow: no reminder yet', task('a', 'Practitioner/c', '2026-12-01'), 'none'],
    ['no due date', task('a', 'Practitioner/c', undefined), 'none'],
    ['no owner: nobody to remind', task('a', undefined, '2026-11-29'), 'none'],
    ['completed', task('a', 'Practitioner/c', '2026-11-29', { status: 'completed' }), 'none'],
    ['cancelled', task('a', 'Practitioner/c', '2026-11-29', { status: 'cancelled' }), 'none'],
    ['on hold is still open', task('a', 'Practitioner/c', '2026-11-29', { status: 'on-hold' }), 'overdue'],
    [
      'executionPeriod.end when no restriction',
      task('a', 'Practitioner/c', undefined, { executionPeriod: { end: '2026-11-30T17:00:00Z' } }),
      'dueToday',
    ],
  ])('%s', (_, t, expected) => {
    const [reminder] = planTaskReminders([t], today);
    if (expected === 'none') expect(reminder).toBeUndefined();
    else expect(reminder?.[expected as 'overdue' | 'dueToday'].map((x) => x.id)).toEqual(['a']);
  });

  it('groups per owner, overdue in worklist order (priority, then longest overdue)', () => {
    const reminders = planTaskReminders(
      [
        task('late-routine', 'Practitioner/c', '2026-11-20'),
        task('late-urgent', 'Practitioner/c', '2026-11-28', { priority: 'urgent' }),
        task('today', 'Practitioner/c', today),
        task('other', 'Practitioner/p', today),
      ],
      today,
    );
    expect(reminders.map((r) => r.owner.reference)).toEqual(['Practitioner/c', 'Practitioner/p']);
    expect(reminders[0]?.overdue.map((t) => t.id)).toEqual(['late-urgent', 'late-routine']);
    expect(reminders[0]?.dueToday.map((t) => t.id)).toEqual(['today']);
  });
});

describe('the reminder message', () => {
  const [reminder] = planTaskReminders(
    [
      task('x', 'Practitioner/c', '2026-11-29'),
      task('y', 'Practitioner/c', '2026-11-27'),
      task('z', 'Practitioner/c', today),
    ],
    today,
  );
  it('says the counts, then each task with how overdue it is', () => {
    expect(describeReminder(reminder as never, today)).toBe(
      [
        'Worklist reminder for 2026-11-30: 2 overdue, 1 due today.',
        '- Overdue 3 days (due 2026-11-27): Task y',
        '- Overdue 1 day (due 2026-11-29): Task x',
        '- Due today: Task z',
      ].join('\n'),
    );
  });
  it('is a Communication to the owner about the tasks, urgent when anything is overdue', () => {
    const c = reminderCommunication(reminder as never, today, '2026-11-30T07:00:00Z');
    expect(c.recipient).toEqual([{ reference: 'Practitioner/c' }]);
    expect(c.about?.map((a) => a.reference)).toEqual(['Task/y', 'Task/x', 'Task/z']);
    expect(c.priority).toBe('urgent');
    expect(c.category?.[0]?.coding?.[0]?.code).toBe('reminder');
  });
});
