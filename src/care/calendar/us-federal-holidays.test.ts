import usFederalHolidays from '@18f/us-federal-holidays';
import { describe, expect, it } from 'vitest';
import { isBusinessDay } from './calendar-days.js';
import { federalHolidays } from './us-federal-holidays.js';

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

describe('the rules agree with a maintained holiday library (@18f/us-federal-holidays)', () => {
  // Both sides list each year's observed days; New Year's Day of the next year may fall on 31
  // December, so compare the union of every year with the days inside 2020-2040.
  const inRange = (d: string) => d >= '2020-01-01' && d <= '2040-12-31';
  const years = Array.from({ length: 23 }, (_, i) => 2019 + i);
  const ours = new Set(years.flatMap((y) => federalHolidays(y).map((h) => h.date)).filter(inRange));
  const theirs = new Set(
    years.flatMap((y) => usFederalHolidays.allForYear(y).map((h) => h.dateString)).filter(inRange),
  );
  it('the same observed days, 2020 to 2040', () => {
    expect([...ours].sort()).toEqual([...theirs].sort());
    expect(ours.size).toBeGreaterThan(21 * 10);
  });
});
