// The clinic's clock: the one place where an instant becomes a day. Careloop works in the clinic's
// time zone (CARELOOP_TIMEZONE, an IANA name): "today", the date of a discharge, due dates, the TCM
// clock's business days, reminders and daily jobs are all days there. A discharge at 20:00 in New
// York is at 01:00 UTC the next day; it is dated the day it happened. Routes, hooks and jobs get the
// clock injected, so tests pin "now" and the zone instead of sleeping. Pure but for `now`.

/** Careloop's documented default zone when CARELOOP_TIMEZONE is not set (US Eastern). */
export const DEFAULT_TIME_ZONE = 'America/New_York';

export interface ClinicClock {
  /** The IANA time zone the clinic works in. */
  readonly timeZone: string;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Now as an ISO instant (UTC). */
  nowIso(): string;
  /** Today in the clinic, YYYY-MM-DD. */
  today(): string;
  /** The clinic's day of an instant (a FHIR dateTime, or milliseconds); a bare date is its own day. */
  dateOf(instant: string | number): string;
  /** The instant (milliseconds) of `hour`:`minute` clinic time on `date` (daylight saving respected). */
  instantAt(date: string, hour?: number, minute?: number): number;
  /** A FHIR instant with the clinic's offset for a wall-clock time: `2026-12-02T09:30:00-05:00`. */
  wallClock(date: string, time: string): string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Whether `name` is an IANA time zone this runtime knows. */
export function isTimeZone(name: string): boolean {
  try {
    formatFor(name);
    return true;
  } catch {
    return false;
  }
}

interface WallTime {
  readonly y: number;
  readonly m: number;
  readonly d: number;
  readonly h: number;
  readonly min: number;
  readonly s: number;
}

function wallTime(ms: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    y: parts.year ?? 0,
    m: parts.month ?? 1,
    d: parts.day ?? 1,
    h: parts.hour ?? 0,
    min: parts.minute ?? 0,
    s: parts.second ?? 0,
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The day of an instant in a time zone. */
export function dateInZone(instant: string | number, timeZone: string): string {
  if (typeof instant === 'string') {
    // A FHIR date (or partial date) names a day already; a dateTime without an offset is not
    // allowed by FHIR with a time, so read its own date.
    if (!instant.includes('T') || !/(Z|[+-]\d\d:\d\d)$/.test(instant)) return instant.slice(0, 10);
  }
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(ms)) return String(instant).slice(0, 10);
  const t = wallTime(ms, timeZone);
  return `${pad(t.y, 4)}-${pad(t.m)}-${pad(t.d)}`;
}

/** The offset of a zone from UTC at an instant, in milliseconds (New York in winter: -5 h). */
function offsetAt(ms: number, timeZone: string): number {
  const t = wallTime(ms, timeZone);
  return Date.UTC(t.y, t.m - 1, t.d, t.h, t.min, t.s) - Math.floor(ms / 1000) * 1000;
}

/** The instant of a wall-clock time in a zone (a time skipped by a daylight-saving change moves forward). */
export function instantInZone(date: string, hour: number, timeZone: string, minute = 0): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return second;
}

export function createClinicClock(timeZone: string = DEFAULT_TIME_ZONE, now: () => number = Date.now): ClinicClock {
  if (!isTimeZone(timeZone)) throw new Error(`'${timeZone}' is not an IANA time zone (e.g. America/Chicago)`);
  return {
    timeZone,
    now,
    nowIso: () => new Date(now()).toISOString(),
    today: () => dateInZone(now(), timeZone),
    dateOf: (instant) => dateInZone(instant, timeZone),
    instantAt: (date, hour = 0, minute = 0) => instantInZone(date, hour, timeZone, minute),
    wallClock: (date, time) => wallClockInZone(date, time, timeZone),
  };
}

/** A wall-clock time in a zone as a FHIR instant carrying the zone's offset at that moment. */
export function wallClockInZone(date: string, time: string, timeZone: string): string {
  const [h, min] = time.split(':').map(Number) as [number, number];
  const ms = instantInZone(date, h, timeZone, min);
  const offsetMinutes = Math.round(offsetAt(ms, timeZone) / 60_000);
  const t = wallTime(ms, timeZone);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${pad(t.y, 4)}-${pad(t.m)}-${pad(t.d)}T${pad(t.h)}:${pad(t.min)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A clock stopped at `iso` (tests and replays). */
export function fixedClinicClock(iso: string, timeZone: string = DEFAULT_TIME_ZONE): ClinicClock {
  const ms = Date.parse(iso);
  return createClinicClock(timeZone, () => ms);
}
