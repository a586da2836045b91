// Translates a parsed search into SQL over the index tables. The SQL is plain enough to run on both
// SQLite and PostgreSQL (`?` placeholders; the PostgreSQL driver numbers them). Matching follows R4
// §3.1.1.4 for each parameter type; the comments cite the rule each branch implements.
import { normalizeString } from '../../fhir/search/extract-index.js';
import type { SearchParam } from '../../fhir/search/search-parameter-registry.js';
import type {
  AccessFilter,
  Filter,
  FilterValue,
  Prefix,
  SearchRequest,
  SortKey,
} from '../../fhir/search/search-request.js';

export interface Sql {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export interface SqlContext {
  /** The id of an indexed parameter (`Observation`, `code:text`), or -1 if nothing was ever indexed under it. */
  pid(resourceType: string, code: string): number;
  /** The current time, for the `ap` prefix. */
  readonly now: number;
  /**
   * Index tables carry the patient compartment key and are keyed by it (PostgreSQL, ready to be
   * distributed by patient): lookups by row id then also name the patient, so they use the key.
   */
  readonly indexHasPatient?: boolean;
  /** What the asker may see (SearchRequest.access); applied to every resource a query touches. */
  readonly access?: AccessFilter;
}

const TABLE: Record<string, string> = {
  string: 'sp_string',
  token: 'sp_token',
  reference: 'sp_reference',
  date: 'sp_date',
  number: 'sp_number',
  quantity: 'sp_quantity',
  uri: 'sp_uri',
  composite: 'sp_composite',
};

class Builder {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];
  add(sql: string, ...params: unknown[]): this {
    this.parts.push(sql);
    this.params.push(...params);
    return this;
  }
}

/** Escapes LIKE wildcards; patterns use ESCAPE '\'. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Upper bound for a prefix range scan: every string starting with `prefix` sorts below it. */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}

/**
 * Date/period comparison for one prefix (R4 §3.1.1.4.2 "prefixes"): the search value is the range
 * [vl, vh], the target the range [tl, th] in columns `lo`/`hi`.
 */
function rangeCondition(prefix: Prefix, lo: string, hi: string, vl: number, vh: number, now: number): Sql {
  switch (prefix) {
    case 'eq':
      return { sql: `(${lo} >= ? AND ${hi} <= ?)`, params: [vl, vh] };
    case 'ne':
      return { sql: `NOT (${lo} >= ? AND ${hi} <= ?)`, params: [vl, vh] };
    case 'gt':
      return { sql: `(${hi} > ?)`, params: [vh] };
    case 'lt':
      return { sql: `(${lo} < ?)`, params: [vl] };
    case 'ge':
      return { sql: `(${hi} > ? OR (${lo} >= ? AND ${hi} <= ?))`, params: [vh, vl, vh] };
    case 'le':
      return { sql: `(${lo} < ? OR (${lo} >= ? AND ${hi} <= ?))`, params: [vl, vl, vh] };
    case 'sa':
      return { sql: `(${lo} > ?)`, params: [vh] };
    case 'eb':
      return { sql: `(${hi} < ?)`, params: [vl] };
    case 'ap': {
      // "approximately": within 10% of the distance between the value and now (R4 leaves the
      // margin to the server; this is the margin HAPI and the spec's example use).
      const margin = Math.max(Math.abs(now - vl), Math.abs(now - vh)) * 0.1;
      // Whole milliseconds: the date columns are integers (a fraction is a type error on PostgreSQL).
      return { sql: `(${hi} >= ? AND ${lo} <= ?)`, params: [Math.floor(vl - margin), Math.ceil(vh + margin)] };
    }
  }
}

/**
 * Number/quantity comparison (R4 §3.1.1.4.10): `eq` matches values inside the implicit precision
 * range of the search value; the ordering prefixes compare against the value itself.
 */
function numberCondition(prefix: Prefix, col: string, vl: number, vh: number): Sql {
  const value = (vl + vh) / 2;
  switch (prefix) {
    case 'eq':
      return { sql: `(${col} >= ? AND ${col} < ?)`, params: [vl, vh] };
    case 'ne':
      return { sql: `NOT (${col} >= ? AND ${col} < ?)`, params: [vl, vh] };
    case 'gt':
    case 'sa':
      return { sql: `(${col} > ?)`, params: [value] };
    case 'lt':
    case 'eb':
      return { sql: `(${col} < ?)`, params: [value] };
    case 'ge':
      return { sql: `(${col} >= ?)`, params: [value] };
    case 'le':
      return { sql: `(${col} <= ?)`, params: [value] };
    case 'ap': {
      const margin = Math.abs(value) * 0.1;
      return { sql: `(${col} >= ? AND ${col} <= ?)`, params: [value - margin, value + margin] };
    }
  }
}

function tokenCondition(system: string | undefined, code: string | undefined, sysCol: string, codeCol: string): Sql {
  // R4 §3.1.1.4.9: code | system|code | |code (no system) | system| (any code of the system)
  if (system === undefined) return { sql: `${codeCol} = ?`, params: [code] };
  if (code === undefined) return { sql: `${sysCol} = ?`, params: [system] };
  return { sql: `(${codeCol} = ? AND ${sysCol} = ?)`, params: [code, system] };
}

function valueCondition(filter: Extract<Filter, { kind: 'param' }>, value: FilterValue, now: number): Sql {
  switch (value.kind) {
    case 'string': {
      const norm = normalizeString(value.value);
      if (filter.modifier === 'exact') return { sql: 'exact = ?', params: [value.value] };
      if (filter.modifier === 'contains') {
        return { sql: "norm LIKE ? ESCAPE '\\'", params: [`%${escapeLike(norm)}%`] };
      }
      // Default string match: starts with, case- and accent-insensitive (R4 §3.1.1.4.11).
      return { sql: '(norm >= ? AND norm < ?)', params: [norm, prefixUpperBound(norm)] };
    }
    case 'token':
      return tokenCondition(value.system, value.code, 'system', 'code');
    case 'reference':
      if (value.targetType === undefined) return { sql: 'target_id = ?', params: [value.targetId] };
      return { sql: '(target_id = ? AND target_type = ?)', params: [value.targetId, value.targetType] };
    case 'range':
      if (filter.indexType === 'number') return numberCondition(value.prefix, 'low', value.low, value.high);
      return rangeCondition(value.prefix, 'low', 'high', value.low, value.high, now);
    case 'quantity': {
      const num = numberCondition(value.prefix, 'value', value.low, value.high);
      const parts = [num.sql];
      const params = [...num.params];
      if (value.code !== undefined) {
        parts.push('code = ?');
        params.push(value.code);
      }
      if (value.system !== undefined) {
        parts.push('system = ?');
        params.push(value.system);
      }
      return { sql: `(${parts.join(' AND ')})`, params };
    }
    case 'uri':
      if (filter.modifier === 'below') {
        return { sql: '(value >= ? AND value < ?)', params: [value.value, prefixUpperBound(value.value)] };
      }
      if (filter.modifier === 'above') {
        // The stored uri is a prefix of the search value.
        return {
          sql: "? LIKE (REPLACE(REPLACE(REPLACE(value, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%') ESCAPE '\\'",
          params: [value.value],
        };
      }
      return { sql: 'value = ?', params: [value.value] };
    case 'composite': {
      const first = tokenCondition(value.first.system, value.first.code, 'system1', 'code1');
      const secondType = filter.param.components?.[1]?.type;
      let second: Sql;
      const v = value.second;
      if (v.kind === 'token') second = tokenCondition(v.system, v.code, 'system2', 'code2');
      else if (v.kind === 'quantity') {
        const num = numberCondition(v.prefix, 'low2', v.low, v.high);
        const extra = v.code !== undefined ? ' AND code2 = ?' : '';
        second = { sql: `(${num.sql}${extra})`, params: [...num.params, ...(v.code !== undefined ? [v.code] : [])] };
      } else if (v.kind === 'range') {
        second =
          secondType === 'number'
            ? numberCondition(v.prefix, 'low2', v.low, v.high)
            : rangeCondition(v.prefix, 'low2', 'high2', v.low, v.high, now);
      } else if (v.kind === 'string') {
        const norm = normalizeString(v.value);
        second = { sql: '(code2 >= ? AND code2 < ?)', params: [norm, prefixUpperBound(norm)] };
      } else {
        second = { sql: '0 = 1', params: [] };
      }
      return { sql: `(${first.sql} AND ${second.sql})`, params: [...first.params, ...second.params] };
    }
  }
}

function orJoin(parts: readonly Sql[]): Sql {
  if (parts.length === 1) return parts[0] as Sql;
  return { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, params: parts.flatMap((p) => p.params) };
}

/**
 * Which index rows a parameter reads: its own, or for an alias (SearchParam.alias) the rows of the
 * parameters it stands for, restricted to its target type. `suffix` picks the :text/:identifier rows.
 */
export function pidCondition(
  ctx: SqlContext,
  resourceType: string,
  param: SearchParam,
  suffix = '',
  column = 'pid',
): Sql {
  const codes = param.alias ? param.alias.codes : [param.code];
  const pids = codes.map((c) => ctx.pid(resourceType, `${c}${suffix}`));
  const pidSql = pids.length === 1 ? `${column} = ?` : `${column} IN (${pids.map(() => '?').join(', ')})`;
  const targetType = param.alias?.targetType;
  if (targetType && suffix === '' && param.type === 'reference') {
    const prefix = column.includes('.') ? column.slice(0, column.indexOf('.') + 1) : '';
    return { sql: `${pidSql} AND ${prefix}target_type = ?`, params: [...pids, targetType] };
  }
  return { sql: pidSql, params: pids };
}

function list(values: readonly unknown[]): string {
  return values.length ? values.map(() => '?').join(', ') : 'NULL';
}

/**
 * The rows of resource `alias` the asker may see: shared resources of the permitted types, and
 * resources in the compartments of the permitted patients; minus resources with a hidden security
 * label outside the patients whose consent allows them.
 */
export function accessCondition(access: AccessFilter | undefined, alias: string, ctx: SqlContext): Sql {
  if (!access) return { sql: '1 = 1', params: [] };
  // Where the index tables lead with the patient (PostgreSQL's keys), naming it makes each probe a
  // point lookup on the key instead of a walk over every row of the parameter.
  const samePatient = (a: string): string => (ctx.indexHasPatient ? `${a}.patient = ${alias}.patient AND ` : '');
  const parts: string[] = [];
  const params: unknown[] = [];
  const shared =
    access.sharedTypes === 'all'
      ? { sql: `${alias}.patient = ''`, params: [] as unknown[] }
      : {
          sql: `(${alias}.patient = '' AND ${alias}.type IN (${list(access.sharedTypes)}))`,
          params: [...access.sharedTypes],
        };
  if (!access.patients) {
    parts.push(`(${shared.sql} OR ${alias}.patient <> '')`);
    params.push(...shared.params);
  } else {
    // Each condition probes the row at hand (correlated EXISTS on indexes keyed by rid) rather than
    // building the set of everything the requester may see: the check then costs the same whatever
    // the size of the records it permits (a patient with 100,000 observations on one's panel).
    const { ids, organizations } = access.patients;
    let members = `c.patient IN (${list(ids)})`;
    const memberParams: unknown[] = [...ids];
    if (organizations.length) {
      // A coordinator's panel: the patients their organizations manage (Patient.managingOrganization).
      members += ` OR EXISTS (SELECT 1 FROM resource p JOIN sp_reference o ON o.rid = p.rid WHERE p.type = 'Patient' AND p.id = c.patient AND o.pid = ? AND o.target_type = 'Organization' AND o.target_id IN (${list(organizations)}))`;
      memberParams.push(ctx.pid('Patient', 'organization'), ...organizations);
    }
    parts.push(`(${shared.sql} OR EXISTS (SELECT 1 FROM compartment c WHERE c.rid = ${alias}.rid AND (${members})))`);
    params.push(...shared.params, ...memberParams);
  }
  if (access.types) {
    parts.push(access.types.length ? `${alias}.type IN (${list(access.types)})` : '0 = 1');
    params.push(...access.types);
  }
  // Labels sharing the same excepted patients (the usual case) share one condition.
  const groups = new Map<string, { labels: { system: string; code: string }[]; except: readonly string[] }>();
  for (const label of access.hiddenLabels ?? []) {
    const key = [...label.exceptPatients].sort().join(',');
    const group = groups.get(key) ?? { labels: [], except: label.exceptPatients };
    group.labels.push({ system: label.system, code: label.code });
    groups.set(key, group);
  }
  for (const { labels, except } of groups.values()) {
    // One arm per code system (`system = ? AND code IN (...)`), not one per label: PostgreSQL plans
    // each OR arm separately, and planning thirteen of them cost more than running the query.
    const bySystem = new Map<string, string[]>();
    for (const l of labels) bySystem.set(l.system, [...(bySystem.get(l.system) ?? []), l.code]);
    const match = [...bySystem.values()].map((codes) => `(l.system = ? AND l.code IN (${list(codes)}))`).join(' OR ');
    const inside = except.length ? `${alias}.patient IN (${list(except)}) OR ` : '';
    parts.push(
      `(${inside}NOT EXISTS (SELECT 1 FROM sp_token l WHERE ${samePatient('l')}l.rid = ${alias}.rid AND l.pid IN (SELECT pid FROM search_param WHERE code = '_security') AND (${match})))`,
    );
    params.push(...except, ...[...bySystem].flatMap(([system, codes]) => [system, ...codes]));
  }
  for (const hidden of access.hiddenCodes ?? []) {
    parts.push(
      `(${alias}.type <> ? OR NOT EXISTS (SELECT 1 FROM sp_token h WHERE ${samePatient('h')}h.rid = ${alias}.rid AND h.pid = ? AND h.system = ? AND h.code = ?))`,
    );
    params.push(hidden.resourceType, ctx.pid(hidden.resourceType, hidden.param), hidden.system, hidden.code);
  }
  for (const required of access.requiredCodes ?? []) {
    const match = required.codes.length
      ? required.codes
          .map((c) => (c.system === undefined ? 'q.code = ?' : '(q.system = ? AND q.code = ?)'))
          .join(' OR ')
      : '0 = 1';
    parts.push(
      `(${alias}.type <> ? OR EXISTS (SELECT 1 FROM sp_token q WHERE ${samePatient('q')}q.rid = ${alias}.rid AND q.pid = ? AND (${match})))`,
    );
    params.push(
      required.resourceType,
      ctx.pid(required.resourceType, required.param),
      ...required.codes.flatMap((c) => (c.system === undefined ? [c.code] : [c.system, c.code])),
    );
  }
  for (const { resourceType, params: codes, references } of access.participantsOnly ?? []) {
    const targets = references
      .map((r) => r.split('/'))
      .filter((r): r is [string, string] => r.length === 2 && Boolean(r[0]) && Boolean(r[1]));
    const pids = codes.map((c) => ctx.pid(resourceType, c));
    const match = targets.length
      ? `EXISTS (SELECT 1 FROM sp_reference x WHERE ${samePatient('x')}x.rid = ${alias}.rid AND x.pid IN (${list(pids)}) AND (${targets.map(() => '(x.target_type = ? AND x.target_id = ?)').join(' OR ')}))`
      : '0 = 1';
    parts.push(`(${alias}.type <> ? OR ${match})`);
    params.push(resourceType, ...(targets.length ? [...pids, ...targets.flat()] : []));
  }
  return { sql: parts.join(' AND '), params };
}

/** A condition on the resource row `alias` (columns rid, type, id). */
function filterCondition(filter: Filter, resourceType: string, alias: string, ctx: SqlContext): Sql {
  switch (filter.kind) {
    case 'id':
      if (filter.ids.length === 0) return { sql: filter.not ? '1 = 1' : '0 = 1', params: [] };
      return {
        sql: `${alias}.id ${filter.not ? 'NOT IN' : 'IN'} (${filter.ids.map(() => '?').join(', ')})`,
        params: filter.ids,
      };
    case 'lastUpdated':
      return orJoin(
        filter.values.map((v) =>
          rangeCondition(v.prefix, `${alias}.last_updated`, `${alias}.last_updated`, v.low, v.high, ctx.now),
        ),
      );
    case 'missing': {
      const table = TABLE[filter.param.type] as string;
      const pid = pidCondition(ctx, resourceType, filter.param);
      return {
        sql: `${alias}.rid ${filter.missing ? 'NOT IN' : 'IN'} (SELECT rid FROM ${table} WHERE ${pid.sql})`,
        params: pid.params,
      };
    }
    case 'param': {
      const table = TABLE[filter.indexType] as string;
      const pid = pidCondition(ctx, resourceType, filter.param, filter.indexParam.slice(filter.param.code.length));
      const values = orJoin(filter.values.map((v) => valueCondition(filter, v, ctx.now)));
      // :not matches resources without the token too (R4 §3.1.1.5.5), hence NOT IN, not != .
      const negate = filter.modifier === 'not';
      return {
        sql: `${alias}.rid ${negate ? 'NOT IN' : 'IN'} (SELECT rid FROM ${table} WHERE ${pid.sql} AND ${values.sql})`,
        params: [...pid.params, ...values.params],
      };
    }
    case 'chain': {
      const pid = pidCondition(ctx, resourceType, filter.param, '', 'x.pid');
      const inner = filterCondition(filter.filter, filter.targetType, 't', ctx);
      // Only resources the asker may see can make a chain match (nothing is learned about others).
      const visible = accessCondition(ctx.access, 't', ctx);
      return {
        sql:
          `${alias}.rid IN (SELECT x.rid FROM sp_reference x WHERE ${pid.sql} AND x.target_type = ? AND x.target_id IN ` +
          `(SELECT t.id FROM resource t WHERE t.type = ? AND t.deleted = 0 AND ${visible.sql} AND ${inner.sql}))`,
        params: [...pid.params, filter.targetType, filter.targetType, ...visible.params, ...inner.params],
      };
    }
    case 'has': {
      const pid = pidCondition(ctx, filter.sourceType, filter.referenceParam, '', 'x.pid');
      const inner = filterCondition(filter.filter, filter.sourceType, 's', ctx);
      const visible = accessCondition(ctx.access, 's', ctx);
      return {
        sql:
          `${alias}.id IN (SELECT x.target_id FROM sp_reference x JOIN resource s ON s.rid = x.rid ` +
          `WHERE ${pid.sql} AND x.target_type = ? AND s.deleted = 0 AND ${visible.sql} AND ${inner.sql})`,
        params: [...pid.params, resourceType, ...visible.params, ...inner.params],
      };
    }
    case 'compartment':
      if (filter.patientIds.length === 0) return { sql: '0 = 1', params: [] };
      return {
        sql: `${alias}.rid IN (SELECT rid FROM compartment WHERE patient IN (${filter.patientIds.map(() => '?').join(', ')}))`,
        params: filter.patientIds,
      };
  }
}

/** WHERE clause (without the keyword) selecting the live resources a search matches. */
export function buildWhere(request: SearchRequest, outer: SqlContext, alias = 'r'): Sql {
  const ctx: SqlContext = request.access ? { ...outer, access: request.access } : outer;
  const b = new Builder();
  if (request.resourceType) b.add(`${alias}.type = ?`, request.resourceType);
  else if (request.types && request.types.length > 0) {
    b.add(`${alias}.type IN (${request.types.map(() => '?').join(', ')})`, ...request.types);
  }
  b.add(`${alias}.deleted = 0`);
  if (request.snapshot !== undefined) b.add(`${alias}.rid <= ?`, request.snapshot);
  if (request.access) {
    const visible = accessCondition(request.access, alias, ctx);
    b.add(visible.sql, ...visible.params);
  }
  for (const f of request.filters) {
    const c = filterCondition(f, request.resourceType, alias, ctx);
    b.add(c.sql, ...c.params);
  }
  return { sql: b.parts.join(' AND '), params: b.params };
}

function sortExpression(key: SortKey, resourceType: string, alias: string, ctx: SqlContext): Sql {
  if (key.param === '_id') return { sql: `${alias}.id`, params: [] };
  if (key.param === '_lastUpdated') return { sql: `${alias}.last_updated`, params: [] };
  const param = key.param;
  const pid = pidCondition(ctx, resourceType, param);
  const agg = key.descending ? 'MAX' : 'MIN';
  // R4 §3.1.1.6.2: a resource with several values sorts by its lowest (ascending) or highest
  // (descending) one; periods sort by start ascending and end descending.
  const column: Record<SearchParam['type'], [string, string] | undefined> = {
    string: ['sp_string', 'norm'],
    token: ['sp_token', 'code'],
    reference: ['sp_reference', 'target_id'],
    date: ['sp_date', key.descending ? 'high' : 'low'],
    number: ['sp_number', 'low'],
    quantity: ['sp_quantity', 'value'],
    uri: ['sp_uri', 'value'],
    composite: undefined,
  };
  const target = column[param.type];
  if (!target) return { sql: 'NULL', params: [] };
  return {
    sql: `(SELECT ${agg}(${target[1]}) FROM ${target[0]} WHERE ${ctx.indexHasPatient ? `patient = ${alias}.patient AND ` : ''}rid = ${alias}.rid AND ${pid.sql})`,
    params: pid.params,
  };
}

/**
 * ORDER BY clause (without the keywords). Resources without a value sort last either way; the row id
 * breaks ties so that pages never overlap or skip.
 */
export function buildOrderBy(request: SearchRequest, ctx: SqlContext, alias = 'r'): Sql {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const key of request.sort) {
    const e = sortExpression(key, request.resourceType, alias, ctx);
    parts.push(`${e.sql} ${key.descending ? 'DESC' : 'ASC'} NULLS LAST`);
    params.push(...e.params);
  }
  parts.push(`${alias}.rid ASC`);
  return { sql: parts.join(', '), params };
}
