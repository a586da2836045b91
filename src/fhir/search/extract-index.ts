// Turns a resource into the rows of its search index, one list per parameter type, following the
// value-to-parameter rules of FHIR R4 §3.1.1.4 (Search parameter types): which parts of a HumanName
// are strings, which of a CodeableConcept are tokens, how a Period or Timing becomes a date range.
// Two derived forms ride along under their own names: `code:text` (string rows for the token :text
// modifier) and `param:identifier` (token rows for the reference :identifier modifier).

import type { TypedValue } from '../fhirpath/compile-path.js';
import { MAX_TIME, MIN_TIME, parseDateRange } from './date-range.js';
import {
  COLUMN_PARAMS,
  getSearchParameterRegistry,
  type SearchParam,
  type SearchParamType,
} from './search-parameter-registry.js';

export interface StringRow {
  readonly param: string;
  /** Lower case, accents removed: what the default and :contains searches compare. */
  readonly norm: string;
  readonly exact: string;
}
export interface TokenRow {
  readonly param: string;
  /** '' when the value has no system. */
  readonly system: string;
  readonly code: string;
}
export interface ReferenceRow {
  readonly param: string;
  /** Resource type of a relative reference; '' for an absolute URL or canonical. */
  readonly targetType: string;
  /** The id of a relative reference, else the full URL (canonical without version). */
  readonly targetId: string;
}
export interface RangeRow {
  readonly param: string;
  readonly low: number;
  readonly high: number;
}
export interface QuantityRow {
  readonly param: string;
  readonly system: string;
  readonly code: string;
  readonly value: number;
}
export interface UriRow {
  readonly param: string;
  readonly value: string;
}
/** A composite value: the first component is a token; the second any of token/quantity/date/string. */
export interface CompositeRow {
  readonly param: string;
  readonly system1: string;
  readonly code1: string;
  readonly system2: string;
  readonly code2: string;
  readonly low2: number;
  readonly high2: number;
}

export interface ResourceIndex {
  readonly strings: StringRow[];
  readonly tokens: TokenRow[];
  readonly references: ReferenceRow[];
  readonly dates: RangeRow[];
  readonly numbers: RangeRow[];
  readonly quantities: QuantityRow[];
  readonly uris: UriRow[];
  readonly composites: CompositeRow[];
}

const MAX_INDEXED_STRING = 256;

const NON_ASCII = /[^ -~\t\n\r]/;

export function normalizeString(value: string): string {
  // Most values are ASCII: only the others pay for the Unicode decomposition that strips accents.
  const folded = NON_ASCII.test(value) ? value.normalize('NFD').replace(/\p{M}/gu, '') : value;
  return folded.toLowerCase().trim().slice(0, MAX_INDEXED_STRING);
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** String parts of a value (§3.1.1.4.11: HumanName and Address parts, plain strings). */
export function stringsOf(tv: TypedValue): string[] {
  const v = tv.value;
  if (typeof v === 'string') return [v];
  const o = obj(v);
  switch (tv.type) {
    case 'HumanName':
      return [o.text, o.family, ...asArray(o.given), ...asArray(o.prefix), ...asArray(o.suffix)].filter(isString);
    case 'Address':
      return [o.text, ...asArray(o.line), o.city, o.district, o.state, o.postalCode, o.country].filter(isString);
    default:
      return [];
  }
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}
function isString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

interface Token {
  system: string;
  code: string;
}

/** Tokens of a value (§3.1.1.4.9) and the display texts that the :text modifier searches. */
export function tokensOf(tv: TypedValue, texts?: string[]): Token[] {
  const v = tv.value;
  if (typeof v === 'boolean') return [{ system: '', code: String(v) }];
  if (typeof v === 'string') return [{ system: '', code: v }];
  if (typeof v === 'number') return [{ system: '', code: String(v) }];
  const o = obj(v);
  switch (tv.type) {
    case 'Coding': {
      const display = str(o.display);
      if (display) texts?.push(display);
      const code = str(o.code);
      return code ? [{ system: str(o.system) ?? '', code }] : [];
    }
    case 'CodeableConcept': {
      const text = str(o.text);
      if (text) texts?.push(text);
      return asArray(o.coding).flatMap((c) => tokensOf({ value: c, type: 'Coding' }, texts));
    }
    case 'Identifier': {
      const value = str(o.value);
      const typeText = str(obj(o.type).text);
      if (typeText) texts?.push(typeText);
      return value ? [{ system: str(o.system) ?? '', code: value }] : [];
    }
    case 'ContactPoint': {
      const value = str(o.value);
      return value ? [{ system: str(o.system) ?? '', code: value }] : [];
    }
    case 'Reference':
      return tokensOf({ value: o.identifier, type: 'Identifier' });
    default:
      return [];
  }
}

/** A literal reference as (type, id), or an absolute URL / canonical as ('', url). */
export function referenceTarget(literal: string): { targetType: string; targetId: string } | undefined {
  if (literal.startsWith('#')) return undefined;
  const noVersion = literal.split('|')[0] ?? literal;
  const parts = noVersion.split('/');
  const history = parts.indexOf('_history');
  const usable = history >= 0 ? parts.slice(0, history) : parts;
  if (/^[a-z][a-z0-9+.-]*:/i.test(noVersion)) return { targetType: '', targetId: usable.join('/') };
  if (usable.length === 2 && usable[0] && usable[1]) return { targetType: usable[0], targetId: usable[1] };
  return { targetType: '', targetId: noVersion };
}

function datesOf(tv: TypedValue): { low: number; high: number }[] {
  const v = tv.value;
  if (typeof v === 'string') {
    const r = parseDateRange(v);
    return r ? [r] : [];
  }
  const o = obj(v);
  switch (tv.type) {
    case 'Period': {
      const start = str(o.start) ? parseDateRange(o.start as string) : undefined;
      const end = str(o.end) ? parseDateRange(o.end as string) : undefined;
      if (!start && !end) return [];
      return [{ low: start?.low ?? MIN_TIME, high: end?.high ?? MAX_TIME }];
    }
    case 'Timing': {
      const out = asArray(o.event).flatMap((e) => datesOf({ value: e, type: 'dateTime' }));
      const bounds = obj(o.repeat).boundsPeriod;
      if (bounds) out.push(...datesOf({ value: bounds, type: 'Period' }));
      return out;
    }
    default:
      return [];
  }
}

function quantitiesOf(tv: TypedValue): { system: string; code: string; value: number }[] {
  const o = obj(tv.value);
  if (typeof o.value !== 'number') return [];
  if (tv.type === 'Money') {
    return [{ system: 'urn:iso:std:iso:4217', code: str(o.currency) ?? '', value: o.value }];
  }
  return [{ system: str(o.system) ?? '', code: str(o.code) ?? str(o.unit) ?? '', value: o.value }];
}

function numbersOf(tv: TypedValue): number[] {
  if (typeof tv.value === 'number') return [tv.value];
  const o = obj(tv.value);
  return typeof o.value === 'number' ? [o.value] : [];
}

function urisOf(tv: TypedValue): string[] {
  return typeof tv.value === 'string' ? [tv.value] : [];
}

/** Rows for a second composite component, reduced to the columns a composite row holds. */
function compositeSecond(
  type: SearchParamType,
  tv: TypedValue,
): { system2: string; code2: string; low2: number; high2: number }[] {
  switch (type) {
    case 'token':
      return tokensOf(tv).map((t) => ({ system2: t.system, code2: t.code, low2: 0, high2: 0 }));
    case 'quantity':
      return quantitiesOf(tv).map((q) => ({ system2: q.system, code2: q.code, low2: q.value, high2: q.value }));
    case 'date':
      return datesOf(tv).map((d) => ({ system2: '', code2: '', low2: d.low, high2: d.high }));
    case 'string':
      return stringsOf(tv).map((s) => ({ system2: '', code2: normalizeString(s), low2: 0, high2: 0 }));
    case 'number':
      return numbersOf(tv).map((n) => ({ system2: '', code2: '', low2: n, high2: n }));
    default:
      return [];
  }
}

/**
 * Rows of one type, without duplicates. Duplicates only arise within one parameter (a code listed
 * twice, union terms that overlap), so a new row is compared with its own parameter's rows only.
 */
class RowSet<T extends { readonly param: string }> {
  readonly rows: T[] = [];
  private start = 0;
  private param = '';

  constructor(private readonly same: (a: T, b: T) => boolean) {}

  add(row: T): void {
    if (row.param !== this.param) {
      this.param = row.param;
      this.start = this.rows.length;
    }
    for (let i = this.start; i < this.rows.length; i++) if (this.same(this.rows[i] as T, row)) return;
    this.rows.push(row);
  }
}

interface IndexSets {
  strings: RowSet<StringRow>;
  tokens: RowSet<TokenRow>;
  references: RowSet<ReferenceRow>;
  dates: RowSet<RangeRow>;
  numbers: RowSet<RangeRow>;
  quantities: RowSet<QuantityRow>;
  uris: RowSet<UriRow>;
  composites: RowSet<CompositeRow>;
}

const sameString = (a: StringRow, b: StringRow): boolean => a.exact === b.exact;
const sameToken = (a: TokenRow, b: TokenRow): boolean => a.code === b.code && a.system === b.system;
const sameReference = (a: ReferenceRow, b: ReferenceRow): boolean =>
  a.targetId === b.targetId && a.targetType === b.targetType;
const sameRange = (a: RangeRow, b: RangeRow): boolean => a.low === b.low && a.high === b.high;
const sameQuantity = (a: QuantityRow, b: QuantityRow): boolean =>
  a.value === b.value && a.code === b.code && a.system === b.system;
const sameUri = (a: UriRow, b: UriRow): boolean => a.value === b.value;
const sameComposite = (a: CompositeRow, b: CompositeRow): boolean =>
  a.code1 === b.code1 &&
  a.system1 === b.system1 &&
  a.code2 === b.code2 &&
  a.system2 === b.system2 &&
  a.low2 === b.low2 &&
  a.high2 === b.high2;

function newSets(): IndexSets {
  return {
    strings: new RowSet(sameString),
    tokens: new RowSet(sameToken),
    references: new RowSet(sameReference),
    dates: new RowSet(sameRange),
    numbers: new RowSet(sameRange),
    quantities: new RowSet(sameQuantity),
    uris: new RowSet(sameUri),
    composites: new RowSet(sameComposite),
  };
}

function indexParam(param: SearchParam, resource: TypedValue, sets: IndexSets): void {
  const values = param.evaluate(resource);
  if (values.length === 0) return;
  const code = param.code;
  switch (param.type) {
    case 'string':
      for (const v of values) {
        for (const s of stringsOf(v)) {
          sets.strings.add({ param: code, norm: normalizeString(s), exact: s.slice(0, MAX_INDEXED_STRING) });
        }
      }
      return;
    case 'token': {
      const texts: string[] = [];
      for (const v of values) {
        for (const t of tokensOf(v, texts)) sets.tokens.add({ param: code, system: t.system, code: t.code });
      }
      for (const t of texts) {
        sets.strings.add({ param: param.textParam, norm: normalizeString(t), exact: t.slice(0, MAX_INDEXED_STRING) });
      }
      return;
    }
    case 'reference':
      for (const v of values) {
        const literal = typeof v.value === 'string' ? v.value : str(obj(v.value).reference);
        const target = literal ? referenceTarget(literal) : undefined;
        if (target) sets.references.add({ param: code, targetType: target.targetType, targetId: target.targetId });
        if (v.type === 'Reference') {
          for (const t of tokensOf(v))
            sets.tokens.add({ param: param.identifierParam, system: t.system, code: t.code });
        }
      }
      return;
    case 'date':
      for (const v of values) for (const d of datesOf(v)) sets.dates.add({ param: code, low: d.low, high: d.high });
      return;
    case 'number':
      for (const v of values) for (const n of numbersOf(v)) sets.numbers.add({ param: code, low: n, high: n });
      return;
    case 'quantity':
      for (const v of values) {
        for (const q of quantitiesOf(v))
          sets.quantities.add({ param: code, system: q.system, code: q.code, value: q.value });
      }
      return;
    case 'uri':
      for (const v of values) for (const u of urisOf(v)) sets.uris.add({ param: code, value: u });
      return;
    case 'composite': {
      const [first, second] = param.components ?? [];
      if (!first || !second) return;
      for (const v of values) {
        const firstTokens = first.evaluate(v).flatMap((x) => tokensOf(x));
        const seconds = second.evaluate(v).flatMap((x) => compositeSecond(second.type, x));
        for (const a of firstTokens) {
          for (const b of seconds) sets.composites.add({ param: code, system1: a.system, code1: a.code, ...b });
        }
      }
      return;
    }
  }
}

/** Extracts every search index row of a resource. */
export function extractIndex<T extends { readonly resourceType: string }>(
  resource: T,
  params?: readonly SearchParam[],
): ResourceIndex {
  const sets = newSets();
  const input: TypedValue = { value: resource, type: resource.resourceType };
  // Column parameters live on the resource row; aliases read the rows of the parameters they alias.
  for (const param of params ?? getSearchParameterRegistry().indexed(resource.resourceType)) {
    if (COLUMN_PARAMS.has(param.code) || param.alias) continue;
    indexParam(param, input, sets);
  }
  return {
    strings: sets.strings.rows,
    tokens: sets.tokens.rows,
    references: sets.references.rows,
    dates: sets.dates.rows,
    numbers: sets.numbers.rows,
    quantities: sets.quantities.rows,
    uris: sets.uris.rows,
    composites: sets.composites.rows,
  };
}
