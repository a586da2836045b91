// Reading resources with SQL that both dialects run: current and past versions, search pages with
// _include and _revinclude, counts, history and scans. Each dialect supplies a SqlExecutor (with `?`
// placeholders) and its parameter-id lookup.

import { getSearchParameterRegistry } from '../../fhir/search/search-parameter-registry.js';
import type { AccessFilter, IncludeSpec, SearchRequest } from '../../fhir/search/search-request.js';
import type { HistoryPage, HistoryQuery, ScanQuery, SearchPage, StoredVersion } from '../store.js';
import { accessCondition, buildOrderBy, buildWhere, type SqlContext } from './build-search-sql.js';

export type Row = Record<string, unknown>;

/** Runs SQL with `?` placeholders on one connection (or one transaction). */
export interface SqlExecutor {
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  get(sql: string, params?: readonly unknown[]): Promise<Row | undefined>;
}

/** Parameter ids for searching: -1 when nothing was ever indexed under the parameter. */
export interface PidLookup {
  lookup(type: string, code: string): number;
  /** Index tables are keyed by (patient, rid, ...): see SqlContext.indexHasPatient. */
  readonly indexHasPatient?: boolean;
}

/** _revinclude can fan out without bound; past this many rows the page says it was cut short. */
export const MAX_INCLUDED = 1000;

export function toStoredVersion(row: Row): StoredVersion {
  return {
    resourceType: String(row.type),
    id: String(row.id),
    versionId: Number(row.version),
    lastUpdated: Number(row.last_updated),
    deleted: Number(row.deleted) === 1,
    json: row.content === null || row.content === undefined ? undefined : String(row.content),
    ...(typeof row.patient === 'string' && row.patient !== '' ? { patient: row.patient } : {}),
  };
}

const COLUMNS = 'r.rid, r.patient, r.type, r.id, r.version, r.last_updated, r.deleted, r.content';

export async function readCurrent(db: SqlExecutor, type: string, id: string): Promise<StoredVersion | undefined> {
  const row = await db.get(`SELECT ${COLUMNS} FROM resource r WHERE r.type = ? AND r.id = ?`, [type, id]);
  return row ? toStoredVersion(row) : undefined;
}

export async function readVersion(
  db: SqlExecutor,
  type: string,
  id: string,
  version: number,
): Promise<StoredVersion | undefined> {
  const current = await db.get(`SELECT ${COLUMNS} FROM resource r WHERE r.type = ? AND r.id = ?`, [type, id]);
  if (!current) return undefined;
  if (Number(current.version) === version) return toStoredVersion(current);
  const row = await db.get(
    'SELECT version, last_updated, deleted, content FROM resource_history WHERE rid = ? AND version = ?',
    [current.rid, version],
  );
  return row ? toStoredVersion({ ...row, type, id }) : undefined;
}

function sqlContext(pids: PidLookup, access?: AccessFilter): SqlContext {
  return {
    pid: (type, code) => pids.lookup(type, code),
    now: Date.now(),
    indexHasPatient: pids.indexHasPatient === true,
    ...(access ? { access } : {}),
  };
}

export async function isVisible(
  db: SqlExecutor,
  pids: PidLookup,
  type: string,
  id: string,
  access: AccessFilter,
): Promise<boolean> {
  const visible = accessCondition(access, 'r', sqlContext(pids, access));
  const row = await db.get(`SELECT 1 AS x FROM resource r WHERE r.type = ? AND r.id = ? AND ${visible.sql}`, [
    type,
    id,
    ...visible.params,
  ]);
  return row !== undefined;
}

export async function countMatches(db: SqlExecutor, pids: PidLookup, request: SearchRequest): Promise<number> {
  const where = buildWhere(request, sqlContext(pids));
  const row = await db.get(`SELECT COUNT(*) AS n FROM resource r WHERE ${where.sql}`, [...where.params]);
  return Number(row?.n ?? 0);
}

/** The visibility condition on `r` for a request (an always-true one when nothing restricts it). */
type Visible = { readonly sql: string; readonly params: readonly unknown[] };

async function fetchByIds(db: SqlExecutor, type: string, ids: readonly string[], visible: Visible): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    out.push(
      ...(await db.all(
        `SELECT ${COLUMNS} FROM resource r WHERE r.type = ? AND r.deleted = 0 AND r.id IN (${chunk.map(() => '?').join(', ')}) AND ${visible.sql}`,
        [type, ...chunk, ...visible.params],
      )),
    );
  }
  return out;
}

/** The index rows an include follows; an alias parameter reads its base's rows for one target type. */
function referencePids(pids: PidLookup, spec: IncludeSpec): { pids: number[] | 'all'; targetType: string | undefined } {
  if (spec.sourceType === '*') return { pids: 'all', targetType: spec.targetType };
  if (spec.param) {
    const alias = spec.param.alias;
    const codes = alias ? alias.codes : [spec.param.code];
    return {
      pids: codes.map((c) => pids.lookup(spec.sourceType, c)),
      targetType: spec.targetType ?? alias?.targetType,
    };
  }
  const all = getSearchParameterRegistry()
    .list(spec.sourceType)
    .filter((p) => p.type === 'reference' && !p.alias)
    .map((p) => pids.lookup(spec.sourceType, p.code))
    .filter((pid) => pid >= 0);
  return { pids: all, targetType: spec.targetType };
}

interface IncludeState {
  readonly seen: Set<string>;
  readonly included: Row[];
  truncated: boolean;
}

function addRows(state: IncludeState, rows: readonly Row[]): Row[] {
  const added: Row[] = [];
  for (const row of rows) {
    const key = `${String(row.type)}/${String(row.id)}`;
    if (state.seen.has(key)) continue;
    if (state.included.length >= MAX_INCLUDED) {
      state.truncated = true;
      break;
    }
    state.seen.add(key);
    state.included.push(row);
    added.push(row);
  }
  return added;
}

async function applyInclude(
  db: SqlExecutor,
  pids: PidLookup,
  visible: Visible,
  spec: IncludeSpec,
  from: readonly Row[],
  state: IncludeState,
): Promise<Row[]> {
  const sources = spec.sourceType === '*' ? from : from.filter((r) => r.type === spec.sourceType);
  if (sources.length === 0) return [];
  const { pids: pidList, targetType } = referencePids(pids, spec);
  if (pidList !== 'all' && pidList.length === 0) return [];
  const pidSql = pidList === 'all' ? '' : `pid IN (${pidList.map(() => '?').join(', ')}) AND `;
  const pidParams = pidList === 'all' ? [] : pidList;
  const targets = new Map<string, Set<string>>();
  for (let i = 0; i < sources.length; i += 500) {
    const slice = sources.slice(i, i + 500);
    const rids = slice.map((r) => r.rid);
    // Naming the patients too lets a patient-keyed index table answer from its key.
    const patients = pids.indexHasPatient ? [...new Set(slice.map((r) => String(r.patient ?? '')))] : [];
    const patientSql = patients.length ? `patient IN (${patients.map(() => '?').join(', ')}) AND ` : '';
    const rows = await db.all(
      `SELECT DISTINCT target_type, target_id FROM sp_reference WHERE ${patientSql}${pidSql}rid IN (${rids.map(() => '?').join(', ')}) AND target_type <> ''`,
      [...patients, ...pidParams, ...rids],
    );
    for (const row of rows) {
      const type = String(row.target_type);
      if (targetType && type !== targetType) continue;
      let set = targets.get(type);
      if (!set) {
        set = new Set();
        targets.set(type, set);
      }
      set.add(String(row.target_id));
    }
  }
  const added: Row[] = [];
  for (const [type, ids] of targets) added.push(...addRows(state, await fetchByIds(db, type, [...ids], visible)));
  return added;
}

async function applyRevinclude(
  db: SqlExecutor,
  pids: PidLookup,
  visible: Visible,
  spec: IncludeSpec,
  from: readonly Row[],
  state: IncludeState,
): Promise<Row[]> {
  const { pids: pidList, targetType } = referencePids(pids, spec);
  if (pidList === 'all' || pidList.length === 0) return [];
  const added: Row[] = [];
  const byType = new Map<string, string[]>();
  for (const r of from) {
    const list = byType.get(String(r.type)) ?? [];
    list.push(String(r.id));
    byType.set(String(r.type), list);
  }
  for (const [type, ids] of byType) {
    if (targetType && targetType !== type) continue;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await db.all(
        `SELECT ${COLUMNS} FROM sp_reference x JOIN resource r ON r.rid = x.rid WHERE x.pid IN (${pidList.map(() => '?').join(', ')}) AND x.target_type = ? AND x.target_id IN (${chunk.map(() => '?').join(', ')}) AND r.deleted = 0 AND r.type = ? AND ${visible.sql} ORDER BY r.rid LIMIT ?`,
        [...pidList, type, ...chunk, spec.sourceType, ...visible.params, MAX_INCLUDED + 1],
      );
      added.push(...addRows(state, rows));
    }
  }
  return added;
}

async function resolveIncludes(
  db: SqlExecutor,
  pids: PidLookup,
  request: SearchRequest,
  matches: readonly Row[],
): Promise<{ rows: Row[]; truncated: boolean }> {
  if (request.include.length === 0 && request.revinclude.length === 0) return { rows: [], truncated: false };
  const state: IncludeState = {
    seen: new Set(matches.map((r) => `${String(r.type)}/${String(r.id)}`)),
    included: [],
    truncated: false,
  };
  // Included resources pass the same access rules as matches: an _include never pulls one in.
  const visible = accessCondition(request.access, 'r', sqlContext(pids, request.access));
  const round = async (from: readonly Row[], iterateOnly: boolean): Promise<Row[]> => {
    const added: Row[] = [];
    for (const spec of request.include) {
      if (!iterateOnly || spec.iterate) added.push(...(await applyInclude(db, pids, visible, spec, from, state)));
    }
    for (const spec of request.revinclude) {
      if (!iterateOnly || spec.iterate) added.push(...(await applyRevinclude(db, pids, visible, spec, from, state)));
    }
    return added;
  };
  const first = await round(matches, false);
  // :iterate follows the included resources one more level (R4 §3.1.1.5.4).
  if (first.length > 0) await round(first, true);
  return { rows: state.included, truncated: state.truncated };
}

export async function searchPage(db: SqlExecutor, pids: PidLookup, request: SearchRequest): Promise<SearchPage> {
  const ctx = sqlContext(pids);
  const snapshot =
    request.snapshot ?? Number((await db.get('SELECT COALESCE(MAX(rid), 0) AS m FROM resource', []))?.m ?? 0);
  const pinned: SearchRequest = { ...request, snapshot };
  const where = buildWhere(pinned, ctx);
  let rows: Row[] = [];
  let hasMore = false;
  if (request.count > 0) {
    const order = buildOrderBy(pinned, ctx);
    rows = await db.all(`SELECT ${COLUMNS} FROM resource r WHERE ${where.sql} ORDER BY ${order.sql} LIMIT ? OFFSET ?`, [
      ...where.params,
      ...order.params,
      request.count + 1,
      request.offset,
    ]);
    hasMore = rows.length > request.count;
    if (hasMore) rows = rows.slice(0, request.count);
  }
  let total: number | undefined;
  if (request.total !== 'none' || request.summary === 'count') {
    total = Number(
      (await db.get(`SELECT COUNT(*) AS n FROM resource r WHERE ${where.sql}`, [...where.params]))?.n ?? 0,
    );
  } else if (!hasMore && request.count > 0 && (rows.length > 0 || request.offset === 0)) {
    total = request.offset + rows.length;
  }
  const included = await resolveIncludes(db, pids, request, rows);
  return {
    matches: rows.map(toStoredVersion),
    included: included.rows.map(toStoredVersion),
    total,
    hasMore,
    snapshot,
    warnings: included.truncated ? [`Included resources were limited to ${MAX_INCLUDED}`] : [],
  };
}

export async function historyPage(db: SqlExecutor, query: HistoryQuery, pids?: PidLookup): Promise<HistoryPage> {
  const conds: string[] = [];
  const params: unknown[] = [];
  if (query.access && pids) {
    const visible = accessCondition(query.access, 'r', sqlContext(pids, query.access));
    conds.push(visible.sql);
    params.push(...visible.params);
  }
  if (query.resourceType) {
    conds.push('r.type = ?');
    params.push(query.resourceType);
  }
  if (query.id) {
    conds.push('r.id = ?');
    params.push(query.id);
  }
  if (query.ids) {
    if (query.ids.length === 0) return { versions: [], total: 0 };
    conds.push(`r.id IN (${query.ids.map(() => '?').join(', ')})`);
    params.push(...query.ids);
  }
  const timeConds = (col: string): { sql: string; params: unknown[] } => {
    const c: string[] = [];
    const p: unknown[] = [];
    if (query.since !== undefined) {
      c.push(`${col} >= ?`);
      p.push(query.since);
    }
    if (query.at !== undefined) {
      c.push(`${col} <= ?`);
      p.push(query.at);
    }
    return { sql: c.join(' AND '), params: p };
  };
  const where = (extra: { sql: string; params: unknown[] }): { sql: string; params: unknown[] } => {
    const all = [...conds, ...(extra.sql ? [extra.sql] : [])];
    return { sql: all.length ? `WHERE ${all.join(' AND ')}` : '', params: [...params, ...extra.params] };
  };
  const hw = where(timeConds('h.last_updated'));
  const cw = where(timeConds('r.last_updated'));
  const union =
    // Each version carries its resource's patient: the audit entry of a history read names whose
    // records it returned.
    `SELECT r.type, r.id, r.patient, h.version, h.last_updated, h.deleted, h.content FROM resource_history h JOIN resource r ON r.rid = h.rid ${hw.sql} ` +
    `UNION ALL SELECT r.type, r.id, r.patient, r.version, r.last_updated, r.deleted, r.content FROM resource r ${cw.sql}`;
  const total = Number(
    (await db.get(`SELECT COUNT(*) AS n FROM (${union}) AS versions`, [...hw.params, ...cw.params]))?.n ?? 0,
  );
  const rows = await db.all(
    `SELECT * FROM (${union}) AS versions ORDER BY last_updated DESC, version DESC LIMIT ? OFFSET ?`,
    [...hw.params, ...cw.params, query.count, query.offset],
  );
  return { versions: rows.map(toStoredVersion), total };
}

export async function* scanResources(db: SqlExecutor, query: ScanQuery): AsyncGenerator<StoredVersion> {
  let after = 0;
  for (;;) {
    const conds = ['r.type = ?', 'r.rid > ?'];
    const params: unknown[] = [query.resourceType, after];
    if (!query.includeDeleted) conds.push('r.deleted = 0');
    if (query.since !== undefined) {
      conds.push('r.last_updated >= ?');
      params.push(query.since);
    }
    if (query.patientIds) {
      if (query.patientIds.length === 0) return;
      conds.push(
        `r.rid IN (SELECT rid FROM compartment WHERE patient IN (${query.patientIds.map(() => '?').join(', ')}))`,
      );
      params.push(...query.patientIds);
    }
    const rows = await db.all(
      `SELECT ${COLUMNS} FROM resource r WHERE ${conds.join(' AND ')} ORDER BY r.rid LIMIT 1000`,
      [...params],
    );
    if (rows.length === 0) return;
    for (const row of rows) yield toStoredVersion(row);
    after = Number(rows[rows.length - 1]?.rid);
  }
}

export async function* scanAllVersions(db: SqlExecutor, resourceType: string): AsyncGenerator<StoredVersion> {
  let after = 0;
  for (;;) {
    const heads = await db.all('SELECT rid FROM resource WHERE type = ? AND rid > ? ORDER BY rid LIMIT 500', [
      resourceType,
      after,
    ]);
    if (heads.length === 0) return;
    for (const head of heads) {
      const rows = await db.all(
        `SELECT r.type, r.id, h.version, h.last_updated, h.deleted, h.content FROM resource_history h JOIN resource r ON r.rid = h.rid WHERE h.rid = ?
           UNION ALL SELECT r.type, r.id, r.version, r.last_updated, r.deleted, r.content FROM resource r WHERE r.rid = ? ORDER BY version`,
        [head.rid, head.rid],
      );
      for (const row of rows) yield toStoredVersion(row);
    }
    after = Number(heads[heads.length - 1]?.rid);
  }
}
