import type { ServiceRequest, Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { describeHours, describeState, pairReferrals, referralTo } from './referral-words.js';

const request = (id: string, authoredOn: string): ServiceRequest => ({
  resourceType: 'ServiceRequest',
  id,
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p' },
  authoredOn,
  category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005' }] }],
});
const task = (focus: string, status: Task['status'], extra: Partial<Task> = {}): Task => ({
  resourceType: 'Task',
  status,
  intent: 'order',
  focus: { reference: `ServiceRequest/${focus}` },
  ...extra,
});

describe('referral rows', () => {
  it('pairs each referral with its task, newest first, leaving other requests out', () => {
    const rows = pairReferrals(
      [request('a', '2026-11-01'), request('b', '2026-11-20'), { ...request('c', '2026-11-25'), category: [] }],
      [task('a', 'completed')],
    );
    expect(rows.map((r) => [r.request.id, r.task?.status])).toEqual([
      ['b', undefined],
      ['a', 'completed'],
    ]);
  });
  it.each([
    [task('a', 'requested'), 'Sent, waiting to be received'],
    [task('a', 'accepted'), 'Accepted, not yet scheduled'],
    [task('a', 'rejected', { statusReason: { text: 'Full' } }), 'Declined: Full'],
    [task('a', 'completed'), 'Completed, outcome back'],
  ])('%j reads "%s"', (t, words) => {
    expect(describeState({ request: request('a', ''), task: t })).toBe(words);
  });
});

it('hours in short words', () => {
  expect(
    describeHours({
      resourceType: 'HealthcareService',
      availableTime: [{ daysOfWeek: ['tue', 'thu'], availableStartTime: '09:00:00', availableEndTime: '13:00:00' }],
    }),
  ).toBe('Tue, Thu 9:00–13:00');
});

it('a referral to a directory service goes to the organization that provides it, for the need', () => {
  const sr = referralTo({
    service: {
      resourceType: 'HealthcareService',
      id: 's',
      name: 'Pantry',
      providedBy: { reference: 'Organization/o' },
    },
    patientId: 'p',
    requester: 'Practitioner/c',
    need: 'Condition/n',
    priority: 'routine',
  });
  expect(sr).toMatchObject({
    performer: [{ reference: 'Organization/o' }],
    reasonReference: [{ reference: 'Condition/n' }],
    category: [{ coding: [{ code: '3457005' }] }],
    status: 'active',
  });
});
