import type { Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { isOverdue, orderWorklist } from './order-worklist.js';

const t = (id: string, due: string | undefined, priority: Task['priority'] = 'routine'): Task => ({
  resourceType: 'Task',
  id,
  status: 'requested',
  intent: 'order',
  priority,
  ...(due ? { restriction: { period: { end: due } } } : {}),
});

describe('the worklist order', () => {
  it('puts overdue first by priority then how overdue, then today, later, undated', () => {
    const ordered = orderWorklist(
      [
        t('later-stat', '2026-12-01', 'stat'),
        t('undated', undefined, 'stat'),
        t('today', '2026-11-25'),
        t('overdue-1-day-routine', '2026-11-24'),
        t('overdue-9-days-routine', '2026-11-16'),
        t('overdue-1-day-asap', '2026-11-24', 'asap'),
      ],
      '2026-11-25',
    );
    expect(ordered.map((x) => x.id)).toEqual([
      'overdue-1-day-asap',
      'overdue-9-days-routine',
      'overdue-1-day-routine',
      'today',
      'later-stat',
      'undated',
    ]);
  });

  it.each([
    ['2026-11-24', true],
    ['2026-11-25', false],
    ['2026-11-25T23:59:00Z', false],
    [undefined, false],
  ])('due %s is overdue on 25 Nov: %s', (due, overdue) => expect(isOverdue(t('x', due), '2026-11-25')).toBe(overdue));

  it('reads executionPeriod.end when restriction is absent', () => {
    const legacy: Task = {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      executionPeriod: { end: '2026-11-01' },
    };
    expect(isOverdue(legacy, '2026-11-25')).toBe(true);
  });
});
