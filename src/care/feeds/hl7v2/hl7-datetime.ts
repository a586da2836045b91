// HL7 v2 dates and times (DTM: YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ], v2.5 §2A.22) as FHIR
// values. A time without an offset is the sender's local time: read in the clinic's zone, the
// receiving side's best knowledge of where the hospital is (the sender's zone is configurable
// nowhere in v2).
import { instantInZone } from '../../calendar/clinic-clock.js';

const DTM = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d{1,4})?([+-]\d{4})?$/;

/** A FHIR date (YYYY, YYYY-MM or YYYY-MM-DD) from an HL7 date or date-time; undefined when it is none. */
export function hl7Date(value: string): string | undefined {
  const m = DTM.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d] = m;
  if (mo !== undefined && (Number(mo) < 1 || Number(mo) > 12)) return undefined;
  if (d !== undefined && (Number(d) < 1 || Number(d) > 31)) return undefined;
  return [y, mo, d].filter(Boolean).join('-');
}

/** A FHIR instant (ISO 8601 with offset) from an HL7 date-time with at least the hour; else undefined. */
export function hl7Instant(value: string, timeZone: string): string | undefined {
  const m = DTM.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, offset] = m;
  if (!mo || !d || h === undefined) return undefined;
  const hour = Number(h);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (hour > 23 || minute > 59 || second > 59 || Number(mo) > 12 || Number(d) > 31) return undefined;
  const date = `${y}-${mo}-${d}`;
  let ms: number;
  if (offset) {
    const sign = offset.startsWith('-') ? -1 : 1;
    const shift = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5))) * 60_000;
    ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, minute, second) - shift;
  } else ms = instantInZone(date, hour, timeZone, minute) + second * 1000;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
