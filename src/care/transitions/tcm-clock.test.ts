import { describe, expect, it } from 'vitest';
import { isCommunityDischarge, tcmClock } from './tcm-clock.js';
import { federalHolidays, isBusinessDay } from './us-federal-holidays.js';

describe('US federal holidays by rule', () => {
  it.each([
    [2026, 'Thanksgiving Day', '2026-11-26'],
    [2026, 'Independence Day', '2026-07-03'], // Saturday 4 July observed Friday
    [2026, 'Christmas Day', '2026-12-25'],
    [2027, 'Christmas Day', '2027-12-24'], // Saturday observed Friday
    [2027, 'Juneteenth National Independence Day', '2027-06-18'],
    [2028, "New Year's Day", '2027-12-31'], // 1 Jan 2028 is a Saturday
    [2026, 'Memorial Day', '2026-05-25'],
    [2026, 'Birthday of Martin Luther King, Jr.', '2026-01-19'],
    [2026, 'Labor Day', '2026-09-07'],
    [2026, 'Columbus Day', '2026-10-12'],
    [2026, 'Veterans Day', '2026-11-11'],
    [2023, "New Year's Day", '2023-01-02'], // Sunday observed Monday
  ])('%i %s: %s', (year, name, date) => {
    const all = [...federalHolidays(year), ...federalHolidays(year - 1)];
    expect(all.find((h) => h.name.startsWith(name) && h.date === date)).toBeDefined();
  });
  it.each([
    ['2026-11-26', false],
    ['2026-11-27', true],
    ['2026-11-28', false],
    ['2026-12-25', false],
  ])('%s business day: %s', (date, ok) => {
    expect(isBusinessDay(date)).toBe(ok);
  });
});

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
