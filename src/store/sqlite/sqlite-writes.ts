// Writing a version into the embedded database: the resource row, the superseded version moved to
// history, the patient compartments and every search index row, all inside the caller's transaction.
import type { ResourceIndex } from '../../fhir/search/extract-index.js';
import type { ParamIds } from '../param-ids.js';
import { VersionConflictError, type VersionWrite } from '../store.js';
import type { SqliteConnection } from './sqlite-database.js';

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

function insertIndex(conn: SqliteConnection, pids: ParamIds, type: string, rid: number, index: ResourceIndex): void {
  if (index.strings.length) {
    const st = conn.prepare('INSERT OR IGNORE INTO sp_string (rid, pid, norm, exact) VALUES (?, ?, ?, ?)');
    for (const r of index.strings) st.run(rid, pids.ensure(type, r.param), r.norm, r.exact);
  }
  if (index.tokens.length) {
    const st = conn.prepare('INSERT OR IGNORE INTO sp_token (rid, pid, system, code) VALUES (?, ?, ?, ?)');
    for (const r of index.tokens) st.run(rid, pids.ensure(type, r.param), r.system, r.code);
  }
  if (index.references.length) {
    const st = conn.prepare(
      'INSERT OR IGNORE INTO sp_reference (rid, pid, target_type, target_id) VALUES (?, ?, ?, ?)',
    );
    for (const r of index.references) st.run(rid, pids.ensure(type, r.param), r.targetType, r.targetId);
  }
  if (index.dates.length) {
    const st = conn.prepare('INSERT OR IGNORE INTO sp_date (rid, pid, low, high) VALUES (?, ?, ?, ?)');
    for (const r of index.dates) st.run(rid, pids.ensure(type, r.param), r.low, r.high);
  }
  if (index.numbers.length) {
    const st = conn.prepare('INSERT OR IGNORE INTO sp_number (rid, pid, low, high) VALUES (?, ?, ?, ?)');
    for (const r of index.numbers) st.run(rid, pids.ensure(type, r.param), r.low, r.high);
  }
  if (index.quantities.length) {
    const st = conn.prepare('INSERT OR IGNORE INTO sp_quantity (rid, pid, system, code, value) VALUES (?, ?, ?, ?, ?)');
    for (const r of index.quantities) st.run(rid, pids.ensure(type, r.param), r.system, r.code, r.value);
  }
  if (index.uris.length) {
    const st = conn.prepare('INSERT OR IGNORE INTO sp_uri (rid, pid, value) VALUES (?, ?, ?)');
    for (const r of index.uris) st.run(rid, pids.ensure(type, r.param), r.value);
  }
  if (index.composites.length) {
    const st = conn.prepare(
      'INSERT OR IGNORE INTO sp_composite (rid, pid, system1, code1, system2, code2, low2, high2) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const r of index.composites) {
      st.run(rid, pids.ensure(type, r.param), r.system1, r.code1, r.system2, r.code2, r.low2, r.high2);
    }
  }
}

/** Writes one version; must run inside a transaction. */
export function writeVersion(conn: SqliteConnection, pids: ParamIds, v: VersionWrite): void {
  const current = conn.prepare('SELECT rid, version FROM resource WHERE type = ? AND id = ?').get(v.resourceType, v.id);
  const patient = v.compartments[0] ?? null;
  const deleted = v.json === undefined ? 1 : 0;
  let rid: number;
  if (!current) {
    if (v.versionId !== 1) throw new VersionConflictError(v.resourceType, v.id, v.versionId - 1, 0);
    const info = conn
      .prepare(
        'INSERT INTO resource (type, id, version, last_updated, deleted, patient, content) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(v.resourceType, v.id, v.versionId, v.lastUpdated, deleted, patient, v.json ?? null);
    rid = Number(info.lastInsertRowid);
  } else {
    rid = Number(current.rid);
    const version = Number(current.version);
    if (version !== v.versionId - 1) throw new VersionConflictError(v.resourceType, v.id, v.versionId - 1, version);
    conn
      .prepare(
        'INSERT INTO resource_history (rid, version, last_updated, deleted, content) SELECT rid, version, last_updated, deleted, content FROM resource WHERE rid = ?',
      )
      .run(rid);
    conn
      .prepare('UPDATE resource SET version = ?, last_updated = ?, deleted = ?, patient = ?, content = ? WHERE rid = ?')
      .run(v.versionId, v.lastUpdated, deleted, patient, v.json ?? null, rid);
    for (const table of INDEX_TABLES) conn.prepare(`DELETE FROM ${table} WHERE rid = ?`).run(rid);
  }
  if (v.index && deleted === 0) insertIndex(conn, pids, v.resourceType, rid, v.index);
  if (deleted === 0 && v.compartments.length) {
    const st = conn.prepare('INSERT OR IGNORE INTO compartment (patient, rid) VALUES (?, ?)');
    for (const p of v.compartments) st.run(p, rid);
  }
}
