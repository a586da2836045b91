import type { Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { describeLateReferral, lateReferral, referralTimeliness, statusSince } from './referral-timeliness.js';

const version = (status: Task['status'], at: string): Task => ({
  resourceType: 'Task',
  status,
  intent: 'order',
  meta: { lastUpdated: at },
});

describe('statusSince', () => {
  it('is when the current status began, whatever changed after', () => {
    expect(
      statusSince([
        version('requested', '2026-11-01T00:00:00Z'),
        version('accepted', '2026-11-03T00:00:00Z'),
        version('accepted', '2026-11-05T00:00:00Z'),
      ]),
    ).toBe('2026-11-03T00:00:00Z');
  });
});

describe('lateReferral: the shipped table by priority and state', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  const daysAgo = (d: number) => new Date(now - d * 86_400_000).toISOString();
  it.each([
    ['routine', 'requested', 5, false],
    ['routine', 'requested', 6, true],
    ['routine', 'accepted', 14, false],
    ['routine', 'accepted', 15, true],
    ['urgent', 'requested', 2, false],
    ['urgent', 'requested', 3, true],
    ['stat', 'in-progress', 3, true],
    ['routine', 'completed', 400, false],
    ['routine', 'rejected', 400, false],
  ] as const)('%s, %s for %i days: late %s', (priority, status, days, late) => {
    const task: Task = { resourceType: 'Task', status, intent: 'order', priority };
    expect(lateReferral(task, daysAgo(days), now) !== undefined).toBe(late);
  });
  it('every priority has a time for every open state', () => {
    for (const p of ['routine', 'urgent', 'asap', 'stat'])
      for (const s of ['requested', 'received', 'accepted', 'in-progress'])
        expect(referralTimeliness()[p]?.[s]).toBeGreaterThan(0);
  });
  it('describes the wait for the coordinator', () => {
    const task: Task = {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      description: 'Referral: Food assistance',
      owner: { reference: 'Organization/f', display: 'Eastside Food Bank' },
    };
    const late = lateReferral(task, daysAgo(8), now);
    expect(late && describeLateReferral(late)).toBe(
      'Referral: Food assistance: not yet received by Eastside Food Bank after 8 days (expected within 5). Follow up.',
    );
  });
});
