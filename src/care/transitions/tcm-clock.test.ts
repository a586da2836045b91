import { describe, expect, it } from 'vitest';
import { isCommunityDischarge, tcmClock } from './tcm-clock.js';

describe('the TCM clock', () => {
  it.each([
    // discharge, complexity, contact due (2 business days after), face-to-face due
    ['2026-11-25', 'high', '2026-11-30', '2026-12-02'], // the day before Thanksgiving (Wed): Fri 27, Mon 30
    ['2026-12-23', 'moderate', '2026-12-28', '2027-01-06'], // before Christmas: Thu 24, Mon 28
    ['2026-11-20', 'high', '2026-11-24', '2026-11-27'], // a Friday: Mon 23, Tue 24
    ['2026-11-21', 'moderate', '2026-11-24', '2026-12-05'], // a Saturday: Mon 23, Tue 24
    ['2026-12-30', 'high', '2027-01-04', '2027-01-06'], // New Year's Day: Thu 31, Mon 4
    ['2026-07-02', 'high', '2026-07-07', '2026-07-09'], // Independence Day observed Fri 3 July
  ] as const)('discharged %s (%s): contact by %s, visit by %s', (discharge, complexity, contact, visit) => {
    const clock = tcmClock(discharge, complexity);
    expect(clock.contactDue).toBe(contact);
    expect(clock.faceToFaceDue).toBe(visit);
    expect(clock.medicationReconciliationDue).toBe(visit);
  });
  it('the 30-day period starts on the discharge day', () => {
    expect(tcmClock('2026-11-25', 'high').periodEnd).toBe('2026-12-24');
  });
  it.each([
    ['home', true],
    ['hh', true],
    ['alt-home', true],
    ['snf', false],
    ['rehab', false],
    ['hosp', false],
    ['exp', false],
    [undefined, false],
  ])('discharge to %s is to the community: %s', (code, ok) => {
    expect(isCommunityDischarge(code)).toBe(ok);
  });
});
