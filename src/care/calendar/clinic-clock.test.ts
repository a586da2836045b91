import { describe, expect, it } from 'vitest';
import { addMonths, daysBetween } from './calendar-days.js';
import {
  createClinicClock,
  dateInZone,
  fixedClinicClock,
  instantInZone,
  isTimeZone,
  wallClockInZone,
} from './clinic-clock.js';

describe('the day of an instant is the clinic day', () => {
  it.each([
    // instant, zone, the clinic's day
    ['2026-12-03T01:00:00Z', 'America/New_York', '2026-12-02'], // 20:00 EST the evening before
    ['2026-12-03T04:59:59Z', 'America/New_York', '2026-12-02'],
    ['2026-12-03T05:00:00Z', 'America/New_York', '2026-12-03'],
    ['2026-07-03T03:59:59Z', 'America/New_York', '2026-07-02'], // EDT: -4 h
    ['2026-07-03T04:00:00Z', 'America/New_York', '2026-07-03'],
    ['2026-12-03T07:59:00Z', 'America/Los_Angeles', '2026-12-02'],
    ['2026-12-02T18:29:00Z', 'Asia/Kolkata', '2026-12-02'], // +05:30
    ['2026-12-02T18:30:00Z', 'Asia/Kolkata', '2026-12-03'],
    ['2026-12-03T01:00:00Z', 'UTC', '2026-12-03'],
    ['2026-12-02T20:00:00-05:00', 'America/New_York', '2026-12-02'], // an offset is honoured
    ['2026-12-02T23:30:00-08:00', 'America/New_York', '2026-12-03'], // 02:30 in New York
    ['2026-12-02', 'Asia/Kolkata', '2026-12-02'], // a date is its own day
    ['2026-12', 'UTC', '2026-12'],
  ])('%s in %s is %s', (instant, zone, day) => {
    expect(dateInZone(instant, zone)).toBe(day);
  });
});

describe('an hour of a clinic day is an instant', () => {
  it.each([
    ['2026-12-02', 8, 'America/New_York', '2026-12-02T13:00:00.000Z'],
    ['2026-07-02', 8, 'America/New_York', '2026-07-02T12:00:00.000Z'],
    ['2026-03-08', 0, 'America/New_York', '2026-03-08T05:00:00.000Z'], // the day clocks go forward
    ['2026-03-08', 3, 'America/New_York', '2026-03-08T07:00:00.000Z'], // 03:00 EDT
    ['2026-11-01', 12, 'America/New_York', '2026-11-01T17:00:00.000Z'], // after falling back
    ['2026-12-02', 0, 'Asia/Kolkata', '2026-12-01T18:30:00.000Z'],
    ['2026-12-02', 12, 'UTC', '2026-12-02T12:00:00.000Z'],
  ])('%s %i:00 in %s is %s', (date, hour, zone, iso) => {
    expect(new Date(instantInZone(date, hour, zone)).toISOString()).toBe(iso);
  });
});

describe('a wall-clock time carries the clinic offset of its day', () => {
  it.each([
    ['2026-12-02', '09:30', 'America/New_York', '2026-12-02T09:30:00-05:00'],
    ['2026-07-02', '14:00', 'America/Los_Angeles', '2026-07-02T14:00:00-07:00'],
    ['2026-12-02', '09:00', 'Asia/Kolkata', '2026-12-02T09:00:00+05:30'],
    ['2026-12-02', '09:00', 'UTC', '2026-12-02T09:00:00+00:00'],
  ])('%s %s in %s is %s', (date, time, zone, expected) => {
    expect(wallClockInZone(date, time, zone)).toBe(expected);
    expect(Date.parse(expected)).toBe(instantInZone(date, Number(time.slice(0, 2)), zone, Number(time.slice(3))));
  });
});

describe('the clinic clock', () => {
  it('says today in the clinic, not in UTC', () => {
    const evening = fixedClinicClock('2026-12-03T01:30:00Z', 'America/New_York');
    expect(evening.today()).toBe('2026-12-02');
    expect(fixedClinicClock('2026-12-03T01:30:00Z', 'UTC').today()).toBe('2026-12-03');
    expect(evening.nowIso()).toBe('2026-12-03T01:30:00.000Z');
  });
  it('refuses a zone that is not IANA', () => {
    expect(isTimeZone('America/Chicago')).toBe(true);
    expect(isTimeZone('Eastern')).toBe(false);
    expect(() => createClinicClock('Mars/Olympus')).toThrow(/IANA/);
  });
});

describe('calendar arithmetic', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-05-15', 12, '2027-05-15'],
  ])('%s + %i months = %s', (date, months, expected) => expect(addMonths(date, months)).toBe(expected));
  it.each([
    ['2026-03-07', '2026-03-09', 2], // across the spring daylight-saving change
    ['2026-12-31', '2027-01-01', 1],
    ['2026-12-02', '2026-11-25', -7],
  ])('%s to %s is %i days', (a, b, n) => expect(daysBetween(a, b)).toBe(n));
});
