import type { Encounter } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { currentStay, firstFollowUpDay, PLANNED_END_URL } from './expected-discharge.js';

const stay = (status: Encounter['status'], planned?: string): Encounter => ({
  resourceType: 'Encounter',
  status,
  class: { code: 'IMP' },
  ...(planned ? { extension: [{ url: PLANNED_END_URL, valueDateTime: planned }] } : {}),
});

it.each([
  // stays, requested start, the first day to look
  [[], undefined, '2026-12-03'],
  [[], '2026-12-10', '2026-12-10'],
  [[stay('in-progress', '2026-12-06T15:00:00Z')], undefined, '2026-12-06'],
  [[stay('in-progress', '2026-12-06T15:00:00Z')], '2026-12-04', '2026-12-06'], // never during the stay
  [[stay('in-progress', '2026-12-06T15:00:00Z')], '2026-12-09', '2026-12-09'],
  [[stay('in-progress')], undefined, '2026-12-04'], // no expected date: not today
  [[stay('finished', '2026-12-06T15:00:00Z')], undefined, '2026-12-03'], // already home
  [[{ ...stay('in-progress', '2026-12-06T15:00:00Z'), class: { code: 'AMB' } }], undefined, '2026-12-03'],
] as const)('in hospital %j, asked from %s: from %s', (stays, requested, first) => {
  expect(
    firstFollowUpDay({
      today: '2026-12-03',
      requested,
      stay: currentStay(stays as unknown as Encounter[]),
      dateOf: (i) => i.slice(0, 10),
    }),
  ).toBe(first);
});
