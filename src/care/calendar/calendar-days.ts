// Arithmetic on calendar dates (`YYYY-MM-DD`, FHIR `date`): a date names a day in the clinic's time
// zone and has no time zone of its own, so these are computed at noon UTC where no offset or
// daylight-saving change can move the day. Instants become dates only through the clinic clock
// (clinic-clock.ts). Business days are Monday to Friday except US federal holidays (the TCM rule's
// "business days", CMS TCM FAQs 2016). Pure.
import { isFederalHoliday } from './us-federal-holidays.js';

const DAY_MS = 86_400_000;
const noon = (date: string): number => Date.parse(`${date.slice(0, 10)}T12:00:00Z`);

export function addDays(date: string, days: number): string {
  return new Date(noon(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((noon(to) - noon(from)) / DAY_MS);
}

/** 0 Sunday to 6 Saturday. */
export function weekdayOf(date: string): number {
  return new Date(noon(date)).getUTCDay();
}

/** Monday to Friday, not a federal holiday. */
export function isBusinessDay(date: string): boolean {
  const dow = weekdayOf(date);
  return dow !== 0 && dow !== 6 && !isFederalHoliday(date);
}

/** The nth business day after `date` (the day itself not counted). */
export function addBusinessDays(date: string, n: number): string {
  let d = date;
  for (let counted = 0; counted < n; ) {
    d = addDays(d, 1);
    if (isBusinessDay(d)) counted++;
  }
  return d;
}

/** Same day of the month `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1, 12));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0, 12)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}
