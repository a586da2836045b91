// FHIR dates as ranges (R4 §3.1.1.4.7 "date"): a date, dateTime or instant stands for the whole
// interval its precision covers — 2020 is all of 2020, 2020-03-04T10:00:00Z one second. Search and
// indexing both work on [low, high] in epoch milliseconds. Values without a time zone are read as UTC
// (the spec lets a server assume its own zone; UTC keeps every server in a cluster consistent).

export const MIN_TIME = -8_640_000_000_000_000;
export const MAX_TIME = 8_640_000_000_000_000;

export interface DateRange {
  readonly low: number;
  readonly high: number;
}

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** Parses a FHIR date/dateTime/instant (also the looser forms search values use) into its range. */
export function parseDateRange(value: string): DateRange | undefined {
  const m = DATE_TIME.exec(value.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : undefined;
  const day = m[3] ? Number(m[3]) : undefined;
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (day !== undefined && (day < 1 || day > new Date(Date.UTC(year, month ?? 1, 0)).getUTCDate())) {
    return undefined;
  }
  const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number => {
    const date = new Date(0);
    date.setUTCFullYear(y, mo, d);
    date.setUTCHours(h, mi, s, ms);
    return date.getTime();
  };
  if (month === undefined) return { low: utc(year, 0, 1), high: utc(year + 1, 0, 1) - 1 };
  if (day === undefined) return { low: utc(year, month - 1, 1), high: utc(year, month, 1) - 1 };
  if (m[4] === undefined) return { low: utc(year, month - 1, day), high: utc(year, month - 1, day + 1) - 1 };
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  if (hour > 23 || minute > 59) return undefined;
  const zone = m[8];
  let offsetMs = 0;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMs = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  if (m[6] === undefined) {
    const low = utc(year, month - 1, day, hour, minute) - offsetMs;
    return { low, high: low + 59_999 };
  }
  const second = Number(m[6]);
  if (second > 60) return undefined;
  const fraction = m[7];
  if (fraction === undefined) {
    const low = utc(year, month - 1, day, hour, minute, second) - offsetMs;
    return { low, high: low + 999 };
  }
  // Sub-millisecond digits cannot be represented; the range still covers the stated precision.
  const ms = Number(`0.${fraction}`) * 1000;
  const low = utc(year, month - 1, day, hour, minute, second, Math.floor(ms)) - offsetMs;
  const width = fraction.length >= 3 ? 0 : 10 ** (3 - fraction.length) - 1;
  return { low, high: low + width };
}
