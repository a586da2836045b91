import type { CarePlan, Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { plansDueForReview, REVIEWED_EXTENSION } from './plans-due-for-review.js';

const now = Date.parse('2026-11-25T12:00:00Z');
const plan = (id: string, lastUpdated: string, extra: Partial<CarePlan> = {}): CarePlan => ({
  resourceType: 'CarePlan',
  id,
  status: 'active',
  intent: 'plan',
  subject: { reference: 'Patient/p' },
  meta: { lastUpdated },
  ...extra,
});

it.each([
  ['changed 89 days ago', plan('a', '2026-08-28T12:00:01Z'), false],
  ['changed 90 days ago', plan('a', '2026-08-27T12:00:00Z'), true],
  [
    'changed long ago but reviewed last month',
    plan('a', '2025-01-01T00:00:00Z', {
      extension: [{ url: REVIEWED_EXTENSION, valueDateTime: '2026-10-25T00:00:00Z' }],
    }),
    false,
  ],
  ['completed', plan('a', '2025-01-01T00:00:00Z', { status: 'completed' }), false],
])('a plan %s is due for review: %s', (_label, p, due) => {
  expect(plansDueForReview([p], [], now).length).toBe(due ? 1 : 0);
});

it('does not ask twice while a review task is open, and honours the cadence', () => {
  const old = plan('a', '2026-01-01T00:00:00Z');
  const open: Task = {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    code: { coding: [{ code: 'care-plan-review' }] },
    focus: { reference: 'CarePlan/a' },
  };
  expect(plansDueForReview([old], [open], now)).toEqual([]);
  expect(plansDueForReview([plan('b', '2026-10-01T00:00:00Z')], [], now, 30).map((p) => p.id)).toEqual(['b']);
});
