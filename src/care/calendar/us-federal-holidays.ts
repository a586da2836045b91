// US federal holidays computed by rule, never typed in as dates: 5 U.S.C. 6103(a) names the days
// (fixed dates and "the third Monday in January" style rules; Juneteenth since 2021), and Executive
// Order 11582 moves a holiday falling on a Saturday to the Friday before and one on a Sunday to the
// Monday after (the observed day, when federal offices are closed). Pure.

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const weekday = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay();

/** The nth (1-based) given weekday of a month; n = -1 for the last. */
function nthWeekday(y: number, m: number, day: number, n: number): string {
  if (n > 0) {
    const first = weekday(y, m, 1);
    return iso(y, m, 1 + ((day - first + 7) % 7) + (n - 1) * 7);
  }
  const lastDate = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const last = weekday(y, m, lastDate);
  return iso(y, m, lastDate - ((last - day + 7) % 7));
}

/** A fixed-date holiday's observed day (Saturday -> Friday, Sunday -> Monday). */
function observed(y: number, m: number, d: number): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  const dow = date.getUTCDay();
  if (dow === 6) date.setUTCDate(d - 1);
  if (dow === 0) date.setUTCDate(d + 1);
  return date.toISOString().slice(0, 10);
}

export interface Holiday {
  readonly date: string;
  readonly name: string;
}

/** The observed federal holidays of a year (New Year's Day of the next year may fall on 31 December). */
export function federalHolidays(year: number): Holiday[] {
  const list: Holiday[] = [
    { date: observed(year, 1, 1), name: "New Year's Day" },
    { date: nthWeekday(year, 1, 1, 3), name: 'Birthday of Martin Luther King, Jr.' },
    { date: nthWeekday(year, 2, 1, 3), name: "Washington's Birthday" },
    { date: nthWeekday(year, 5, 1, -1), name: 'Memorial Day' },
    ...(year >= 2021 ? [{ date: observed(year, 6, 19), name: 'Juneteenth National Independence Day' }] : []),
    { date: observed(year, 7, 4), name: 'Independence Day' },
    { date: nthWeekday(year, 9, 1, 1), name: 'Labor Day' },
    { date: nthWeekday(year, 10, 1, 2), name: 'Columbus Day' },
    { date: observed(year, 11, 11), name: 'Veterans Day' },
    { date: nthWeekday(year, 11, 4, 4), name: 'Thanksgiving Day' },
    { date: observed(year, 12, 25), name: 'Christmas Day' },
  ];
  // 1 January of next year observed on Friday 31 December.
  const next = observed(year + 1, 1, 1);
  if (next.startsWith(`${year}-`)) list.push({ date: next, name: "New Year's Day (observed)" });
  return list;
}

const cache = new Map<number, Set<string>>();

export function isFederalHoliday(date: string): boolean {
  const year = Number(date.slice(0, 4));
  let set = cache.get(year);
  if (!set) {
    set = new Set(federalHolidays(year).map((h) => h.date));
    cache.set(year, set);
  }
  return set.has(date);
}
