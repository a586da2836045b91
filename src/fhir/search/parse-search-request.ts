// Parses the query of a FHIR search (R4 §3.1.1: parameters, modifiers, prefixes, escaping, chaining,
// _has, result parameters) into a SearchRequest. Unknown parameters and malformed values fail with a
// 400 OperationOutcome naming them, unless the client asked for `Prefer: handling=lenient`, in which
// case they are dropped and reported back so the self link shows what was really applied.
import { badRequest } from '../outcome.js';
import { hasControlCharacter } from '../validate/control-characters.js';
import { parseDateRange } from './date-range.js';
import { referenceTarget } from './extract-index.js';
import {
  getSearchParameterRegistry,
  type SearchParam,
  type SearchParameterRegistry,
} from './search-parameter-registry.js';
import {
  DEFAULT_COUNT,
  type Filter,
  type FilterValue,
  type IncludeSpec,
  MAX_COUNT,
  type Prefix,
  type SearchRequest,
  type SortKey,
  type SummaryMode,
} from './search-request.js';

export interface ParseOptions {
  readonly lenient?: boolean;
  readonly registry?: SearchParameterRegistry;
  readonly isResourceType?: (name: string) => boolean;
}

export interface ParsedSearch {
  readonly request: SearchRequest;
  /** Parameters that were applied, in the order given (for the self link). */
  readonly applied: readonly [string, string][];
  /** Parameters dropped under lenient handling, with the reason. */
  readonly ignored: readonly { name: string; reason: string }[];
}

const PREFIXES: readonly Prefix[] = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'];
const RESULT_PARAMS = new Set([
  '_count',
  '_offset',
  '_sort',
  '_include',
  '_revinclude',
  '_summary',
  '_total',
  '_elements',
  '_format',
  '_pretty',
  '_cursor',
]);
const SUMMARY_MODES: readonly SummaryMode[] = ['true', 'false', 'count', 'text', 'data'];

/** Splits on unescaped `sep` (R4 §3.1.1.4.13 escaping: `\,` `\$` `\|` `\\`). */
export function splitEscaped(value: string, sep: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\' && i + 1 < value.length) {
      const n = value[i + 1] as string;
      if (n === ',' || n === '$' || n === '|' || n === '\\') {
        current += c + n;
        i++;
        continue;
      }
    }
    if (c === sep) {
      out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}

function unescapeValue(value: string): string {
  return value.replace(/\\([,$|\\])/g, '$1');
}

function splitPrefix(raw: string, allowPrefix: boolean): { prefix: Prefix; rest: string } {
  const p = raw.slice(0, 2) as Prefix;
  if (allowPrefix && PREFIXES.includes(p) && raw.length > 2) {
    return { prefix: p, rest: raw.slice(2) };
  }
  return { prefix: 'eq', rest: raw };
}

/**
 * The implicit range of a number as written (R4 §3.1.1.4.10: "100" means [99.5, 100.5)); exponent
 * notation and significant figures are honoured.
 */
export function numberRange(text: string): { low: number; high: number } | undefined {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  const [mantissa, exp] = text.toLowerCase().split('e');
  const decimals = (mantissa?.split('.')[1] ?? '').length;
  const half = 0.5 * 10 ** (Number(exp ?? 0) - decimals);
  return { low: value - half, high: value + half };
}

class SearchParseError extends Error {}

function fail(message: string): never {
  throw new SearchParseError(message);
}

function parseTokenValue(raw: string): { system: string | undefined; code: string | undefined } {
  const parts = splitEscaped(raw, '|');
  if (parts.length === 1) return { system: undefined, code: unescapeValue(parts[0] ?? '') || fail('empty token') };
  if (parts.length !== 2) fail(`'${raw}' has more than one '|'`);
  const system = unescapeValue(parts[0] ?? '');
  const code = unescapeValue(parts[1] ?? '');
  if (!code && !system) fail(`'${raw}' has neither system nor code`);
  // `|code` means "no system"; `system|` means "any code in system".
  return { system, code: code || undefined };
}

function parseValue(param: SearchParam, type: SearchParam['type'], raw: string): FilterValue {
  switch (type) {
    case 'string':
      return { kind: 'string', value: unescapeValue(raw) };
    case 'uri':
      return { kind: 'uri', value: unescapeValue(raw) };
    case 'token':
      return { kind: 'token', ...parseTokenValue(raw) };
    case 'reference': {
      const value = unescapeValue(raw);
      if (!value) fail('empty reference');
      if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
        // Absolute URLs and canonicals are matched exactly as the index stores them.
        const target = referenceTarget(value);
        return { kind: 'reference', targetType: target?.targetType ?? '', targetId: target?.targetId ?? value };
      }
      const parts = value.split('/');
      if (parts.length === 2 && parts[0] && parts[1]) {
        return { kind: 'reference', targetType: parts[0], targetId: parts[1] };
      }
      if (parts.length === 1) return { kind: 'reference', targetType: undefined, targetId: value };
      return fail(`'${value}' is not a reference (Type/id, id or URL)`);
    }
    case 'date': {
      const { prefix, rest } = splitPrefix(raw, true);
      const range = parseDateRange(rest) ?? fail(`'${rest}' is not a valid date`);
      return { kind: 'range', prefix, low: range.low, high: range.high };
    }
    case 'number': {
      const { prefix, rest } = splitPrefix(raw, true);
      const range = numberRange(rest) ?? fail(`'${rest}' is not a number`);
      return { kind: 'range', prefix, ...range };
    }
    case 'quantity': {
      const parts = splitEscaped(raw, '|');
      if (parts.length !== 1 && parts.length !== 3) fail(`'${raw}' is not number|system|code`);
      const { prefix, rest } = splitPrefix(parts[0] ?? '', true);
      const range = numberRange(rest) ?? fail(`'${rest}' is not a number`);
      const system = parts.length === 3 ? unescapeValue(parts[1] ?? '') || undefined : undefined;
      const code = parts.length === 3 ? unescapeValue(parts[2] ?? '') || undefined : undefined;
      return { kind: 'quantity', prefix, ...range, system, code };
    }
    case 'composite': {
      const [first, second] = param.components ?? [];
      const parts = splitEscaped(raw, '$');
      if (!first || !second || parts.length !== 2) fail(`'${raw}' needs two parts joined by '$'`);
      return {
        kind: 'composite',
        first: parseTokenValue(parts[0] ?? ''),
        second: parseValue(param, second.type, parts[1] ?? ''),
      };
    }
  }
}

const MODIFIERS: Record<SearchParam['type'], readonly string[]> = {
  string: ['exact', 'contains', 'missing'],
  token: ['not', 'text', 'missing'],
  reference: ['identifier', 'missing'],
  date: ['missing'],
  number: ['missing'],
  quantity: ['missing'],
  uri: ['below', 'above', 'missing'],
  composite: ['missing'],
};

interface Context {
  registry: SearchParameterRegistry;
  isResourceType: (name: string) => boolean;
}

function parseFilter(ctx: Context, resourceType: string, name: string, rawValue: string): Filter {
  if (name.startsWith('_has:')) return parseHas(ctx, resourceType, name, rawValue);
  const dot = name.indexOf('.');
  if (dot > 0) return parseChain(ctx, resourceType, name.slice(0, dot), name.slice(dot + 1), rawValue);
  const [code = '', modifier] = name.split(':', 2);
  const values = splitEscaped(rawValue, ',');
  if (code === '_id') {
    if (modifier && modifier !== 'not') fail(`modifier :${modifier} is not supported on _id`);
    return { kind: 'id', ids: values.map(unescape).filter((v) => v.length > 0), not: modifier === 'not' };
  }
  if (code === '_lastUpdated') {
    if (modifier) fail(`modifier :${modifier} is not supported on _lastUpdated`);
    const param = ctx.registry.get(resourceType, '_lastUpdated');
    return {
      kind: 'lastUpdated',
      values: values.map((v) => {
        const parsed = param ? parseValue(param, 'date', v) : fail('no _lastUpdated');
        return parsed as Extract<FilterValue, { kind: 'range' }>;
      }),
    };
  }
  const param = ctx.registry.get(resourceType, code);
  if (!param) fail(`Unknown search parameter '${code}' for ${resourceType}`);
  if (modifier === 'missing') {
    if (rawValue !== 'true' && rawValue !== 'false') fail(`:missing takes true or false, not '${rawValue}'`);
    return { kind: 'missing', param, missing: rawValue === 'true' };
  }
  let indexParam = param.code;
  let indexType = param.type;
  if (param.type === 'reference' && modifier && modifier !== 'identifier') {
    // `subject:Patient=123` restricts the target type (R4 §3.1.1.4.6).
    if (!ctx.isResourceType(modifier)) fail(`Unknown modifier :${modifier} on ${code}`);
    return {
      kind: 'param',
      param,
      indexParam,
      indexType,
      modifier: undefined,
      values: values.map((v) => {
        const id = unescapeValue(v);
        if (id.includes('/')) fail(`'${id}' should be a plain id with :${modifier}`);
        return { kind: 'reference', targetType: modifier, targetId: id } as FilterValue;
      }),
    };
  }
  if (modifier !== undefined && !MODIFIERS[param.type].includes(modifier)) {
    fail(`Modifier :${modifier} is not supported on ${param.type} parameter '${code}'`);
  }
  if (modifier === 'text') {
    indexParam = `${param.code}:text`;
    indexType = 'string';
  } else if (modifier === 'identifier') {
    indexParam = `${param.code}:identifier`;
    indexType = 'token';
  }
  return {
    kind: 'param',
    param,
    indexParam,
    indexType,
    modifier,
    values: values.map((v) => parseValue(param, indexType, v)),
  };
}

function parseChain(ctx: Context, resourceType: string, head: string, rest: string, rawValue: string): Filter {
  const [code = '', typeModifier] = head.split(':', 2);
  const param = ctx.registry.get(resourceType, code);
  if (!param) fail(`Unknown search parameter '${code}' for ${resourceType}`);
  if (param.type !== 'reference') fail(`'${code}' is not a reference parameter and cannot be chained`);
  let targetType = typeModifier;
  if (!targetType) {
    const candidates = param.targets.filter((t) => ctx.registry.get(t, rest.split(/[.:]/)[0] ?? ''));
    if (candidates.length !== 1) {
      fail(
        `Chained parameter '${head}.${rest}' is ambiguous: name the target type, e.g. ${code}:${candidates[0] ?? 'Patient'}.${rest}`,
      );
    }
    targetType = candidates[0] as string;
  }
  if (!ctx.isResourceType(targetType)) fail(`Unknown resource type '${targetType}' in chain`);
  if (param.targets.length > 0 && !param.targets.includes(targetType) && !param.targets.includes('Resource')) {
    fail(`'${code}' cannot point at ${targetType}`);
  }
  if (rest.includes('.')) fail(`Chains longer than one level are not supported ('${head}.${rest}')`);
  return { kind: 'chain', param, targetType, filter: parseFilter(ctx, targetType, rest, rawValue) };
}

function parseHas(ctx: Context, resourceType: string, name: string, rawValue: string): Filter {
  // _has:Observation:patient:code=1234-5 (R4 §3.1.1.4.8 reverse chaining)
  const parts = name.split(':');
  if (parts.length < 4) fail(`'${name}' should be _has:Type:reference:parameter`);
  const [, sourceType = '', refCode = '', ...restParts] = parts;
  if (!ctx.isResourceType(sourceType)) fail(`Unknown resource type '${sourceType}' in _has`);
  const referenceParam = ctx.registry.get(sourceType, refCode);
  if (referenceParam?.type !== 'reference') {
    fail(`'${refCode}' is not a reference parameter of ${sourceType}`);
  }
  if (referenceParam.targets.length > 0 && !referenceParam.targets.includes(resourceType)) {
    fail(`${sourceType}.${refCode} cannot point at ${resourceType}`);
  }
  const rest = restParts.join(':');
  if (rest.startsWith('_has:')) fail('Nested _has is not supported');
  return { kind: 'has', sourceType, referenceParam, filter: parseFilter(ctx, sourceType, rest, rawValue) };
}

function parseSort(ctx: Context, resourceType: string, raw: string): SortKey[] {
  return raw
    .split(',')
    .filter((s) => s.length > 0)
    .map((s) => {
      const descending = s.startsWith('-');
      const code = descending ? s.slice(1) : s;
      if (code === '_id' || code === '_lastUpdated') return { param: code, descending };
      const param = ctx.registry.get(resourceType, code);
      if (!param) fail(`Unknown sort parameter '${code}' for ${resourceType}`);
      if (param.type === 'composite') fail(`Cannot sort by composite parameter '${code}'`);
      return { param, descending };
    });
}

function parseInclude(
  ctx: Context,
  resourceType: string,
  raw: string,
  modifier: string | undefined,
  reverse: boolean,
): IncludeSpec {
  if (modifier && modifier !== 'iterate' && modifier !== 'recurse') fail(`Unknown modifier :${modifier} on _include`);
  // `_include=*` follows every reference of the searched type.
  const [sourceType = '', code = '', targetType] = raw === '*' ? [resourceType, '*'] : raw.split(':');
  if (!ctx.isResourceType(sourceType))
    fail(`Unknown resource type '${sourceType}' in ${reverse ? '_revinclude' : '_include'}`);
  let param: SearchParam | undefined;
  if (code !== '*') {
    param = ctx.registry.get(sourceType, code);
    if (param?.type !== 'reference') fail(`'${code}' is not a reference parameter of ${sourceType}`);
  }
  if (targetType !== undefined && !ctx.isResourceType(targetType)) fail(`Unknown target type '${targetType}'`);
  return { sourceType, param, targetType, iterate: modifier !== undefined };
}

/**
 * Limits on a search's size, each refused with a 400 that names it: a request beyond them is a
 * mistake or an attack, and would tie up the database (thousands of OR values become thousands of
 * SQL parameters; a deep offset scans everything before it).
 */
export const SEARCH_LIMITS = {
  /** Parameters in one search (result parameters included). */
  parameters: 100,
  /** Comma-separated values of one parameter (OR). */
  orValues: 100,
  /** Keys in _sort. */
  sortKeys: 10,
  /** _include and _revinclude specifications together. */
  includes: 20,
  /** _offset (and the offset of a cursor): deeper pages are for $export. */
  offset: 10_000_000,
  /** Characters in one value. */
  valueLength: 8_000,
} as const;

function checkValue(name: string, value: string): void {
  if (hasControlCharacter(name) || hasControlCharacter(value))
    fail(
      `${hasControlCharacter(name) ? 'A parameter name' : name} contains a control character, which no FHIR value may hold`,
    );
  if (value.length > SEARCH_LIMITS.valueLength)
    fail(`A search value may be at most ${SEARCH_LIMITS.valueLength} characters long`);
}

function parseOffset(raw: string): number {
  if (!/^\d+$/.test(raw)) fail(`_offset must be a non-negative integer, not '${raw}'`);
  const offset = Number(raw);
  if (raw.length > 9 || offset > SEARCH_LIMITS.offset)
    fail(
      `_offset may be at most ${SEARCH_LIMITS.offset.toLocaleString('en-US')}; page with the next links, or use $export`,
    );
  return offset;
}

function parseCount(raw: string): number {
  if (!/^\d+$/.test(raw)) fail(`_count must be a non-negative integer, not '${raw}'`);
  return Math.min(Number(raw), MAX_COUNT);
}

/** `_offset` or `_count` of a history or an operation, checked as a search's are (400 otherwise). */
export function parsePaging(name: '_offset' | '_count', raw: string): number {
  try {
    return name === '_offset' ? parseOffset(raw) : parseCount(raw);
  } catch (err) {
    if (err instanceof SearchParseError) throw badRequest(err.message, name);
    throw err;
  }
}

interface Cursor {
  offset: number;
  snapshot: number | undefined;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.offset, cursor.snapshot ?? null])).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    const [offset, snapshot] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) {
      return { offset, snapshot: typeof snapshot === 'number' ? snapshot : undefined };
    }
  } catch {
    // fall through to the error below
  }
  return fail('_cursor is not a cursor this server issued');
}

/** Parses search parameters for one resource type. */
export function parseSearchRequest(
  resourceType: string,
  params: readonly [string, string][],
  options: ParseOptions = {},
): ParsedSearch {
  const registry = options.registry ?? getSearchParameterRegistry();
  const ctx: Context = { registry, isResourceType: options.isResourceType ?? (() => true) };
  const filters: Filter[] = [];
  const include: IncludeSpec[] = [];
  const revinclude: IncludeSpec[] = [];
  const applied: [string, string][] = [];
  const ignored: { name: string; reason: string }[] = [];
  let sort: SortKey[] = [];
  let count = DEFAULT_COUNT;
  let offset = 0;
  let snapshot: number | undefined;
  let total: SearchRequest['total'] = 'none';
  let summary: SummaryMode | undefined;
  let elements: string[] | undefined;

  if (params.length > SEARCH_LIMITS.parameters) {
    throw badRequest(`A search may have at most ${SEARCH_LIMITS.parameters} parameters, not ${params.length}`);
  }
  for (const [name, value] of params) {
    try {
      checkValue(name, value);
      if (!name.startsWith('_') || name.startsWith('_has') || name === '_id' || name === '_lastUpdated') {
        if (splitEscaped(value, ',').length > SEARCH_LIMITS.orValues)
          fail(`${name} may have at most ${SEARCH_LIMITS.orValues} values separated by commas`);
      }
      const base = name.split(':')[0] ?? name;
      if (RESULT_PARAMS.has(base)) {
        switch (base) {
          case '_count':
            count = parseCount(value);
            break;
          case '_offset':
            offset = parseOffset(value);
            break;
          case '_cursor': {
            const c = decodeCursor(value);
            if (c.offset > SEARCH_LIMITS.offset) fail('_cursor is not a cursor this server issued');
            offset = c.offset;
            snapshot = c.snapshot;
            break;
          }
          case '_sort':
            if (value.split(',').length > SEARCH_LIMITS.sortKeys)
              fail(`_sort may have at most ${SEARCH_LIMITS.sortKeys} keys`);
            sort = parseSort(ctx, resourceType, value);
            break;
          case '_include':
          case '_revinclude':
            if (include.length + revinclude.length + value.split(',').length > SEARCH_LIMITS.includes)
              fail(`A search may have at most ${SEARCH_LIMITS.includes} _include and _revinclude values`);
            for (const v of value.split(',')) {
              (base === '_include' ? include : revinclude).push(
                parseInclude(ctx, resourceType, v, name.split(':')[1], base === '_revinclude'),
              );
            }
            break;
          case '_summary':
            if (!SUMMARY_MODES.includes(value as SummaryMode))
              fail(`_summary must be one of ${SUMMARY_MODES.join(', ')}`);
            summary = value as SummaryMode;
            break;
          case '_total':
            if (value !== 'none' && value !== 'estimate' && value !== 'accurate')
              fail('_total must be none, estimate or accurate');
            total = value;
            break;
          case '_elements':
            elements = value
              .split(',')
              .map((e) => e.trim())
              .filter((e) => e.length > 0);
            break;
          default:
            // _format and _pretty: JSON is the only format; pretty printing is not offered.
            continue;
        }
        applied.push([name, value]);
        continue;
      }
      filters.push(parseFilter(ctx, resourceType, name, value));
      applied.push([name, value]);
    } catch (err) {
      if (!(err instanceof SearchParseError)) throw err;
      if (options.lenient) {
        ignored.push({ name, reason: err.message });
        continue;
      }
      throw badRequest(err.message, name);
    }
  }
  if (summary === 'count') count = 0;
  return {
    request: { resourceType, filters, sort, count, offset, snapshot, total, summary, elements, include, revinclude },
    applied,
    ignored,
  };
}
