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

it('names the app a person used, and keeps it apart from their own use', () => {
  const viaApp: AuditEvent = {
    ...event('2026-11-25T10:00:03Z', 'patient', 'R'),
    agent: [
      { requestor: true, who: { display: 'patient', reference: 'Patient/h' } },
      {
        requestor: false,
        type: { coding: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110150' }] },
        who: { display: 'Blood pressure diary' },
      },
    ],
  };
  const own: AuditEvent = {
    ...viaApp,
    recorded: '2026-11-25T10:00:04Z',
    agent: [viaApp.agent[0] as AuditEvent['agent'][0]],
  };
  const lines = groupAccessEvents([viaApp, own]);
  expect(lines.map((l) => [l.who, l.via])).toEqual([
    ['patient', undefined],
    ['patient', 'Blood pressure diary'],
  ]);
});
