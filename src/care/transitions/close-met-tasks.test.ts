import type { Resource, Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { TASK_TYPE_SYSTEM } from '../worklist/follow-up-task.js';
import { closedTask, tasksMetBy } from './close-met-tasks.js';

const task = (id: string, code: string, extra: Partial<Task> = {}): Task & { id: string } => ({
  resourceType: 'Task',
  id,
  status: 'requested',
  intent: 'order',
  code: { coding: [{ system: TASK_TYPE_SYSTEM, code }] },
  for: { reference: 'Patient/p' },
  focus: { reference: 'EpisodeOfCare/ep' },
  authoredOn: '2026-12-03T18:00:00Z', // raised later than the events by a backdated feed: the period decides
  restriction: { period: { start: '2026-11-25', end: '2026-12-09' } },
  ...extra,
});
const open = [
  task('contact', 'post-discharge-contact'),
  task('medrec', 'medication-reconciliation'),
  task('planning', 'discharge-planning', { restriction: { period: { end: '2026-11-20' } } }),
  task('book', 'book-follow-up'),
  task('visit', 'post-discharge-visit'),
  task('other', 'outreach-call'),
];
const call = (status: string, medium: string, about = 'EpisodeOfCare/ep', sent = '2026-11-26T15:00:00Z'): Resource =>
  ({
    resourceType: 'Communication',
    id: 'c',
    status,
    subject: { reference: 'Patient/p' },
    about: [{ reference: about }],
    medium: [{ coding: [{ code: medium }] }],
    sent,
  }) as Resource;
const appointment = (status: string, start: string): Resource =>
  ({
    resourceType: 'Appointment',
    id: 'a',
    status,
    start,
    participant: [{ actor: { reference: 'Patient/p' }, status: 'accepted' }],
  }) as Resource;
const encounter = (klass: string, extra: object): Resource =>
  ({
    resourceType: 'Encounter',
    id: 'e',
    status: 'finished',
    class: { code: klass },
    subject: { reference: 'Patient/p' },
    ...extra,
  }) as Resource;

describe('a task closes when its purpose is met, and only then', () => {
  it.each([
    ['a successful phone call about the episode', call('completed', 'PHONE'), [['contact', 'completed']]],
    ['a failed call attempt', call('not-done', 'PHONE'), []],
    ['a successful call about another episode', call('completed', 'PHONE', 'EpisodeOfCare/other'), []],
    ['a written message that is not interactive', call('completed', 'WRITTEN'), []],
    ['a call before the discharge', call('completed', 'PHONE', 'EpisodeOfCare/ep', '2026-11-24T10:00:00Z'), []],
    [
      'a completed reconciliation',
      {
        resourceType: 'List',
        id: 'l',
        status: 'current',
        mode: 'snapshot',
        date: '2026-11-27T10:00:00Z',
        code: { coding: [{ code: 'medication-reconciliation' }] },
        subject: { reference: 'Patient/p' },
      },
      [['medrec', 'completed']],
    ],
    [
      'a reconciliation still in progress',
      {
        resourceType: 'List',
        id: 'l',
        status: 'current',
        mode: 'working',
        date: '2026-11-27T10:00:00Z',
        code: { coding: [{ code: 'medication-reconciliation' }] },
      },
      [],
    ],
    [
      'the discharge',
      encounter('IMP', {
        period: { start: '2026-11-20T08:00:00Z', end: '2026-11-25T16:00:00Z' },
        hospitalization: { dischargeDisposition: { coding: [{ code: 'home' }] } },
      }),
      [['planning', 'completed']],
    ],
    [
      'a follow-up booked after the discharge',
      appointment('booked', '2026-11-30T15:00:00Z'),
      [
        ['book', 'completed'],
        ['visit', 'in-progress'],
      ],
    ],
    ['an appointment during the stay', appointment('booked', '2026-11-22T15:00:00Z'), []],
    ['a cancelled appointment', appointment('cancelled', '2026-11-30T15:00:00Z'), []],
    [
      'the visit attended',
      appointment('fulfilled', '2026-11-30T15:00:00Z'),
      [
        ['book', 'completed'],
        ['visit', 'completed'],
      ],
    ],
    [
      'an office visit finished',
      encounter('AMB', { period: { start: '2026-11-30T15:00:00Z' } }),
      [['visit', 'completed']],
    ],
    ['an inpatient stay still in progress', { ...encounter('IMP', {}), status: 'in-progress' }, []],
  ] as const)('%s', (_, resource, expected) => {
    const met = tasksMetBy(resource as Resource & { id: string }, open, (i) => i.slice(0, 10));
    expect(met.map((m) => [m.task.id, m.status])).toEqual(expected);
    for (const m of met) expect(m.reason).toMatch(/\((Communication|List|Encounter|Appointment)\/\w+\)$/);
  });

  it('a task already done is not closed again, and a closed task says why', () => {
    const done = [{ ...task('contact', 'post-discharge-contact'), status: 'completed' as const }];
    expect(tasksMetBy(call('completed', 'PHONE') as never, done, (i) => i.slice(0, 10))).toEqual([]);
    const [met] = tasksMetBy(call('completed', 'PHONE') as never, open, (i) => i.slice(0, 10));
    if (!met) throw new Error('not met');
    const closed = closedTask(met, '2026-11-26T15:01:00Z');
    expect(closed.status).toBe('completed');
    expect(closed.statusReason?.text).toBe('Reached the patient by phone on 2026-11-26 (Communication/c)');
  });
});
