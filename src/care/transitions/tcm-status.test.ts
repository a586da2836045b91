import type { Communication, Encounter, List } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { dateInZone } from '../calendar/clinic-clock.js';
import type { EpisodeFacts } from './episode-resources.js';
import { tcmStatus } from './tcm-status.js';

const facts = (complexity: 'high' | 'moderate'): EpisodeFacts => ({
  phase: 'post-discharge',
  encounter: 'Encounter/e',
  dischargeDate: '2026-11-25',
  disposition: 'home',
  lace: undefined,
  tcm: {
    eligible: true,
    complexity,
    contactDue: '2026-11-30',
    faceToFaceDue: complexity === 'high' ? '2026-12-02' : '2026-12-09',
    periodEnd: '2026-12-24',
  },
  readmission: undefined,
  outcome: undefined,
});
const call = (
  sent: string,
  ok: boolean,
  note: string | undefined = ok ? undefined : 'No answer, voicemail left',
): Communication => ({
  resourceType: 'Communication',
  status: ok ? 'completed' : 'not-done',
  ...(note ? { statusReason: { text: note } } : {}),
  sent,
  medium: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'PHONE' }] }],
});
const visit = (date: string): Encounter => ({
  resourceType: 'Encounter',
  status: 'finished',
  class: { code: 'AMB' },
  period: { start: `${date}T10:00:00Z` },
});
const rec = (date: string): List => ({
  resourceType: 'List',
  status: 'current',
  mode: 'snapshot',
  date: `${date}T09:00:00Z`,
});

it.each([
  [
    'high: contact in time, seen day 6, reconciled first',
    'high',
    [call('2026-11-27T10:00:00Z', true)],
    ['2026-12-01'],
    ['2026-11-30'],
    '99496',
  ],
  ['high but seen day 10', 'high', [call('2026-11-27T10:00:00Z', true)], ['2026-12-05'], ['2026-11-30'], '99495'],
  ['moderate, seen day 6', 'moderate', [call('2026-11-30T10:00:00Z', true)], ['2026-12-01'], ['2026-12-01'], '99495'],
  [
    'two timely failed attempts count',
    'high',
    [call('2026-11-26T10:00:00Z', false), call('2026-11-30T15:00:00Z', false)],
    ['2026-12-01'],
    ['2026-11-30'],
    '99496',
  ],
  [
    'two failed attempts within the hour are one attempt',
    'high',
    [call('2026-11-26T10:00:00Z', false), call('2026-11-26T10:40:00Z', false)],
    ['2026-12-01'],
    ['2026-11-30'],
    'none',
  ],
  [
    'two failed attempts an hour apart are two',
    'high',
    [call('2026-11-26T10:00:00Z', false), call('2026-11-26T11:00:00Z', false)],
    ['2026-12-01'],
    ['2026-11-30'],
    '99496',
  ],
  [
    'an attempt without a note does not count',
    'high',
    [call('2026-11-26T10:00:00Z', false), call('2026-11-27T15:00:00Z', false, '')],
    ['2026-12-01'],
    ['2026-11-30'],
    'none',
  ],
  [
    'one failed attempt does not',
    'high',
    [call('2026-11-26T10:00:00Z', false)],
    ['2026-12-01'],
    ['2026-11-30'],
    'none',
  ],
  ['contact a day late', 'high', [call('2026-12-01T10:00:00Z', true)], ['2026-12-01'], ['2026-11-30'], 'none'],
  // 20:00 in New York on the due day is 01:00 UTC the next day: on time in the clinic's day.
  [
    'contact the evening of the due day',
    'high',
    [call('2026-12-01T01:00:00Z', true)],
    ['2026-12-01'],
    ['2026-11-30'],
    '99496',
  ],
  [
    'contact just after the due day ends',
    'high',
    [call('2026-12-01T05:00:00Z', true)],
    ['2026-12-01'],
    ['2026-11-30'],
    'none',
  ],
  ['reconciled after the visit', 'high', [call('2026-11-27T10:00:00Z', true)], ['2026-12-01'], ['2026-12-02'], 'none'],
  ['seen on day 15', 'moderate', [call('2026-11-27T10:00:00Z', true)], ['2026-12-10'], ['2026-11-30'], 'none'],
  ['not seen yet', 'moderate', [call('2026-11-27T10:00:00Z', true)], [], ['2026-11-30'], 'none'],
] as const)('%s: %s', (_, complexity, contacts, visits, recs, code) => {
  const status = tcmStatus({
    facts: facts(complexity),
    contacts: [...contacts],
    visits: visits.map(visit),
    reconciliations: recs.map(rec),
    dateOf: (instant: string) => dateInZone(instant, 'America/New_York'),
  });
  expect(status.code).toBe(code);
  if (code === 'none') expect(status.reasons.length).toBeGreaterThan(0);
});

it('the code follows the complexity the physician recorded, never the LACE band alone', () => {
  const base = facts('high');
  const unrecorded: EpisodeFacts = {
    ...base,
    tcm: { eligible: true, suggestedComplexity: 'high', contactDue: '2026-11-30', faceToFaceDue: '2026-12-02' },
  };
  const input = {
    contacts: [call('2026-11-27T10:00:00Z', true)],
    visits: [visit('2026-12-01')],
    reconciliations: [rec('2026-11-30')],
    dateOf: (instant: string) => instant.slice(0, 10),
  };
  const status = tcmStatus({ ...input, facts: unrecorded });
  expect(status.code).toBe('none');
  expect(status.reasons).toContain(
    'TCM complexity not recorded: the physician records moderate or high medical decision making (LACE suggests high)',
  );
  expect(tcmStatus({ ...input, facts: base }).code).toBe('99496');
});
