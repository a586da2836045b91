import type { AuditEvent } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { groupAccessEvents } from './group-access-events.js';

const event = (
  recorded: string,
  who: string,
  action: AuditEvent['action'],
  outcome: AuditEvent['outcome'] = '0',
): AuditEvent => ({
  resourceType: 'AuditEvent',
  type: { code: 'rest' },
  recorded,
  action,
  outcome,
  agent: [{ requestor: true, who: { display: who, reference: `Practitioner/${who}` }, role: [{ text: 'physician' }] }],
  source: { observer: {} },
});

it('groups one person’s reads in one minute, and keeps changes, refusals and other people apart', () => {
  const lines = groupAccessEvents([
    event('2026-11-25T10:00:01Z', 'pcp', 'R'),
    event('2026-11-25T10:00:02Z', 'pcp', 'E'),
    event('2026-11-25T10:00:30Z', 'pcp', 'E'),
    event('2026-11-25T10:00:40Z', 'pcp', 'U'),
    event('2026-11-25T10:00:50Z', 'pcp', 'R', '4'),
    event('2026-11-25T10:01:05Z', 'pcp', 'R'),
    event('2026-11-25T10:01:06Z', 'coordinator', 'R'),
  ]);
  expect(lines.map((l) => [l.who, l.action, l.refused, l.count])).toEqual([
    ['coordinator', 'R', false, 1],
    ['pcp', 'R', false, 1],
    ['pcp', 'R', true, 1],
    ['pcp', 'U', false, 1],
    ['pcp', 'E', false, 3],
  ]);
});
