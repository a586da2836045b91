// Writing versions into the embedded database: the resource row, the superseded version moved to
// history, the patient compartments and every search index row, inside the caller's transaction.
// Index rows of a whole group are buffered and inserted with multi-row statements: per-statement
// overhead, not B-tree work, dominated bulk imports.
import type { ParamIds } from '../param-ids.js';
import { VersionConflictError, type VersionWrite } from '../store.js';
import type { SqliteConnection, Statement } from './sqlite-database.js';

const INDEX_TABLES = [
  'sp_string',
  'sp_token',
  'sp_reference',
  'sp_date',
  'sp_number',
  'sp_quantity',
  'sp_uri',
  'sp_composite',
  'compartment',
] as const;

type Table = (typeof INDEX_TABLES)[number];

const COLUMNS: Record<Table, string> = {
  sp_string: 'rid, pid, norm, exact',
  sp_token: 'rid, pid, system, code',
  sp_reference: 'rid, pid, target_type, target_id',
  sp_date: 'rid, pid, low, high',
  sp_number: 'rid, pid, low, high',
  sp_quantity: 'rid, pid, system, code, value',
  sp_uri: 'rid, pid, value',
  sp_composite: 'rid, pid, system1, code1, system2, code2, low2, high2',
  compartment: 'rid, patient',
};

/** Rows per multi-row INSERT (SQLite allows 32,766 variables; 16 rows keeps statements small). */
const ROWS_PER_STATEMENT = 16;

const WIDTH: Record<Table, number> = Object.fromEntries(
  INDEX_TABLES.map((t) => [t, COLUMNS[t].split(',').length]),
) as Record<Table, number>;

const statements = new WeakMap<SqliteConnection, Map<string, Statement>>();

function insertStatement(conn: SqliteConnection, table: Table, rows: number): Statement {
  let cache = statements.get(conn);
  if (!cache) {
    cache = new Map();
    statements.set(conn, cache);
  }
  const key = `${table}:${rows}`;
  let st = cache.get(key);
  if (!st) {
    const tuple = `(${Array(WIDTH[table]).fill('?').join(', ')})`;
    st = conn.prepare(
      `INSERT OR IGNORE INTO ${table} (${COLUMNS[table]}) VALUES ${Array(rows).fill(tuple).join(', ')}`,
    );
    cache.set(key, st);
  }
  return st;
}

/** Buffers the index rows of several resources (flat, per table), flushed as multi-row INSERTs. */
class RowBuffer {
  readonly rows: Record<Table, unknown[]> = {
    sp_string: [],
    sp_token: [],
    sp_reference: [],
    sp_date: [],
    sp_number: [],
    sp_quantity: [],
    sp_uri: [],
    sp_composite: [],
    compartment: [],
  };

  constructor(private readonly conn: SqliteConnection) {}

  flush(): void {
    for (const table of INDEX_TABLES) {
      const list = this.rows[table];
      if (list.length === 0) continue;
      const width = WIDTH[table];
      const span = ROWS_PER_STATEMENT * width;
      let i = 0;
      if (list.length >= span) {
        const many = insertStatement(this.conn, table, ROWS_PER_STATEMENT);
        for (; i + span <= list.length; i += span) many.run(list.slice(i, i + span));
      }
      if (i < list.length)
        insertStatement(this.conn, table, (list.length - i) / width).run(i === 0 ? list : list.slice(i));
      list.length = 0;
    }
  }
}

function bufferIndex(buffer: RowBuffer, pids: ParamIds, v: VersionWrite, rid: number): void {
  const type = v.resourceType;
  const index = v.index;
  const b = buffer.rows;
  if (index) {
    for (const r of index.strings) b.sp_string.push(rid, pids.ensure(type, r.param), r.norm, r.exact);
    for (const r of index.tokens) b.sp_token.push(rid, pids.ensure(type, r.param), r.system, r.code);
    for (const r of index.references) b.sp_reference.push(rid, pids.ensure(type, r.param), r.targetType, r.targetId);
    for (const r of index.dates) b.sp_date.push(rid, pids.ensure(type, r.param), r.low, r.high);
    for (const r of index.numbers) b.sp_number.push(rid, pids.ensure(type, r.param), r.low, r.high);
    for (const r of index.quantities) b.sp_quantity.push(rid, pids.ensure(type, r.param), r.system, r.code, r.value);
    for (const r of index.uris) b.sp_uri.push(rid, pids.ensure(type, r.param), r.value);
    for (const r of index.composites) {
      b.sp_composite.push(rid, pids.ensure(type, r.param), r.system1, r.code1, r.system2, r.code2, r.low2, r.high2);
    }
  }
  for (const p of v.compartments) b.compartment.push(rid, p);
}

function isUniqueViolation(err: unknown): boolean {
  return (
    err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('SQLITE_CONSTRAINT')
  );
}

function writeRow(conn: SqliteConnection, v: VersionWrite): number {
  const patient = v.compartments[0] ?? '';
  const deleted = v.json === undefined ? 1 : 0;
  if (v.versionId === 1) {
    // A first version: the unique (type, id) index is the check that nobody created it before us.
    try {
      const info = conn
        .prepare(
          'INSERT INTO resource (type, id, version, last_updated, deleted, patient, content) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(v.resourceType, v.id, 1, v.lastUpdated, deleted, patient, v.json ?? null);
      return Number(info.lastInsertRowid);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const current = conn.prepare('SELECT version FROM resource WHERE type = ? AND id = ?').get(v.resourceType, v.id);
      throw new VersionConflictError(v.resourceType, v.id, 0, Number(current?.version ?? 0));
    }
  }
  const current = conn.prepare('SELECT rid, version FROM resource WHERE type = ? AND id = ?').get(v.resourceType, v.id);
  const version = current ? Number(current.version) : 0;
  if (!current || version !== v.versionId - 1) {
    throw new VersionConflictError(v.resourceType, v.id, v.versionId - 1, version);
  }
  const rid = Number(current.rid);
  conn
    .prepare(
      'INSERT INTO resource_history (rid, version, last_updated, deleted, content) SELECT rid, version, last_updated, deleted, content FROM resource WHERE rid = ?',
    )
    .run(rid);
  conn
    .prepare('UPDATE resource SET version = ?, last_updated = ?, deleted = ?, patient = ?, content = ? WHERE rid = ?')
    .run(v.versionId, v.lastUpdated, deleted, patient, v.json ?? null, rid);
  for (const table of INDEX_TABLES) conn.prepare(`DELETE FROM ${table} WHERE rid = ?`).run(rid);
  return rid;
}

/** Writes versions (a group that commits together); must run inside a transaction. */
export function writeVersions(conn: SqliteConnection, pids: ParamIds, versions: readonly VersionWrite[]): void {
  const buffer = new RowBuffer(conn);
  for (const v of versions) {
    // An update replaces index rows: earlier buffered rows (possibly its own) must be in place first.
    if (v.versionId > 1) buffer.flush();
    const rid = writeRow(conn, v);
    // A deletion keeps its compartments (no index rows): who may learn it was deleted depends on them.
    bufferIndex(buffer, pids, v, rid);
  }
  buffer.flush();
}

/** Writes one version; must run inside a transaction. */
export function writeVersion(conn: SqliteConnection, pids: ParamIds, v: VersionWrite): void {
  writeVersions(conn, pids, [v]);
}
