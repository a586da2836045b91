// Writing versions into PostgreSQL inside the caller's transaction: the resource row (locked while
// it is replaced, so concurrent writers serialize on it), the superseded version into history, and
// the index rows of a whole group inserted with one multi-row statement per table.
import type { VersionWrite } from '../store.js';
import { VersionConflictError } from '../store.js';
import type { PgExecutor } from './postgres-database.js';
import type { PgParamIds } from './postgres-param-ids.js';

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

/** Columns after (patient, rid), with their array types for unnest(). */
const COLUMNS: Record<Table, readonly (readonly [string, string])[]> = {
  sp_string: [
    ['pid', 'int'],
    ['norm', 'text'],
    ['exact', 'text'],
  ],
  sp_token: [
    ['pid', 'int'],
    ['system', 'text'],
    ['code', 'text'],
  ],
  sp_reference: [
    ['pid', 'int'],
    ['target_type', 'text'],
    ['target_id', 'text'],
  ],
  sp_date: [
    ['pid', 'int'],
    ['low', 'bigint'],
    ['high', 'bigint'],
  ],
  sp_number: [
    ['pid', 'int'],
    ['low', 'float8'],
    ['high', 'float8'],
  ],
  sp_quantity: [
    ['pid', 'int'],
    ['system', 'text'],
    ['code', 'text'],
    ['value', 'float8'],
  ],
  sp_uri: [
    ['pid', 'int'],
    ['value', 'text'],
  ],
  sp_composite: [
    ['pid', 'int'],
    ['system1', 'text'],
    ['code1', 'text'],
    ['system2', 'text'],
    ['code2', 'text'],
    ['low2', 'float8'],
    ['high2', 'float8'],
  ],
  compartment: [],
};

/** Column-wise buffers per table: one unnest() INSERT each at flush. */
class RowBuffer {
  private readonly columns = new Map<Table, unknown[][]>();

  add(table: Table, patient: string, rid: number, values: readonly unknown[]): void {
    let cols = this.columns.get(table);
    if (!cols) {
      cols = Array.from({ length: 2 + COLUMNS[table].length }, () => []);
      this.columns.set(table, cols);
    }
    (cols[0] as unknown[]).push(patient);
    (cols[1] as unknown[]).push(rid);
    for (let i = 0; i < values.length; i++) (cols[i + 2] as unknown[]).push(values[i]);
  }

  async flush(db: PgExecutor): Promise<void> {
    for (const [table, cols] of this.columns) {
      const defs: (readonly [string, string])[] = [['patient', 'text'], ['rid', 'bigint'], ...COLUMNS[table]];
      const names = defs.map(([n]) => n).join(', ');
      const arrays = defs.map(([, type]) => `?::${type}[]`).join(', ');
      await db.run(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays}) ON CONFLICT DO NOTHING`, cols);
    }
    this.columns.clear();
  }
}

function bufferIndex(buffer: RowBuffer, pids: PgParamIds, v: VersionWrite, patient: string, rid: number): void {
  const type = v.resourceType;
  const ix = v.index;
  if (ix) {
    for (const r of ix.strings) buffer.add('sp_string', patient, rid, [pids.known(type, r.param), r.norm, r.exact]);
    for (const r of ix.tokens) buffer.add('sp_token', patient, rid, [pids.known(type, r.param), r.system, r.code]);
    for (const r of ix.references) {
      buffer.add('sp_reference', patient, rid, [pids.known(type, r.param), r.targetType, r.targetId]);
    }
    for (const r of ix.dates) buffer.add('sp_date', patient, rid, [pids.known(type, r.param), r.low, r.high]);
    for (const r of ix.numbers) buffer.add('sp_number', patient, rid, [pids.known(type, r.param), r.low, r.high]);
    for (const r of ix.quantities) {
      buffer.add('sp_quantity', patient, rid, [pids.known(type, r.param), r.system, r.code, r.value]);
    }
    for (const r of ix.uris) buffer.add('sp_uri', patient, rid, [pids.known(type, r.param), r.value]);
    for (const r of ix.composites) {
      buffer.add('sp_composite', patient, rid, [
        pids.known(type, r.param),
        r.system1,
        r.code1,
        r.system2,
        r.code2,
        r.low2,
        r.high2,
      ]);
    }
  }
  // The membership rows live with the patient whose compartment they describe.
  for (const p of v.compartments) buffer.add('compartment', p, rid, []);
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === '23505';
}

async function writeRow(db: PgExecutor, v: VersionWrite): Promise<{ patient: string; rid: number }> {
  const patient = v.compartments[0] ?? '';
  const deleted = v.json === undefined ? 1 : 0;
  if (v.versionId === 1) {
    try {
      const row = await db.get(
        `INSERT INTO resource (patient, rid, type, id, version, last_updated, deleted, content)
         VALUES (?, nextval('resource_rid_seq'), ?, ?, 1, ?, ?, ?) RETURNING rid`,
        [patient, v.resourceType, v.id, v.lastUpdated, deleted, v.json ?? null],
      );
      return { patient, rid: Number(row?.rid) };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new VersionConflictError(v.resourceType, v.id, 0, 1);
    }
  }
  const current = await db.get('SELECT patient, rid, version FROM resource WHERE type = ? AND id = ? FOR UPDATE', [
    v.resourceType,
    v.id,
  ]);
  const version = current ? Number(current.version) : 0;
  if (!current || version !== v.versionId - 1) {
    throw new VersionConflictError(v.resourceType, v.id, v.versionId - 1, version);
  }
  const rid = Number(current.rid);
  const oldPatient = String(current.patient);
  await db.run(
    `INSERT INTO resource_history (patient, rid, version, last_updated, deleted, content)
     SELECT patient, rid, version, last_updated, deleted, content FROM resource WHERE patient = ? AND rid = ?`,
    [oldPatient, rid],
  );
  await db.run(
    'UPDATE resource SET patient = ?, version = ?, last_updated = ?, deleted = ?, content = ? WHERE patient = ? AND rid = ?',
    [patient, v.versionId, v.lastUpdated, deleted, v.json ?? null, oldPatient, rid],
  );
  for (const table of INDEX_TABLES) {
    if (table === 'compartment') await db.run('DELETE FROM compartment WHERE rid = ?', [rid]);
    else await db.run(`DELETE FROM ${table} WHERE patient = ? AND rid = ?`, [oldPatient, rid]);
  }
  return { patient, rid };
}

/** Writes versions (one group) inside the caller's transaction. Parameter ids must be ensured first. */
/**
 * First versions inserted with one statement: a round trip per resource was most of the cost of a
 * bulk load. A unique violation means one of them exists already: the group fails as a conflict.
 */
async function insertFirstVersions(db: PgExecutor, versions: readonly VersionWrite[]): Promise<number[]> {
  const cols = {
    patient: versions.map((v) => v.compartments[0] ?? ''),
    type: versions.map((v) => v.resourceType),
    id: versions.map((v) => v.id),
    updated: versions.map((v) => v.lastUpdated),
    deleted: versions.map((v) => (v.json === undefined ? 1 : 0)),
    content: versions.map((v) => v.json ?? null),
  };
  let rows: Record<string, unknown>[];
  try {
    rows = await db.all(
      `INSERT INTO resource (patient, rid, type, id, version, last_updated, deleted, content)
       SELECT p, nextval('resource_rid_seq'), t, i, 1, u, d, c
       FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::smallint[], ?::text[]) WITH ORDINALITY AS v(p, t, i, u, d, c, n)
       ORDER BY n
       RETURNING rid, type, id`,
      [cols.patient, cols.type, cols.id, cols.updated, cols.deleted, cols.content],
    );
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const first = versions[0] as VersionWrite;
    throw new VersionConflictError(first.resourceType, first.id, 0, 1);
  }
  const rids = new Map(rows.map((r) => [`${String(r.type)}/${String(r.id)}`, Number(r.rid)]));
  return versions.map((v) => rids.get(`${v.resourceType}/${v.id}`) as number);
}

/** Writes versions (one group) inside the caller's transaction. Parameter ids must be ensured first. */
export async function writeVersions(
  db: PgExecutor,
  pids: PgParamIds,
  versions: readonly VersionWrite[],
): Promise<void> {
  const buffer = new RowBuffer();
  let firsts: VersionWrite[] = [];
  const insertFirsts = async (): Promise<void> => {
    if (firsts.length === 0) return;
    const batch = firsts;
    firsts = [];
    if (batch.length === 1) {
      const v = batch[0] as VersionWrite;
      const { patient, rid } = await writeRow(db, v);
      bufferIndex(buffer, pids, v, patient, rid);
      return;
    }
    const rids = await insertFirstVersions(db, batch);
    batch.forEach((v, i) => {
      bufferIndex(buffer, pids, v, v.compartments[0] ?? '', rids[i] as number);
    });
  };
  for (const v of versions) {
    if (v.versionId === 1) {
      firsts.push(v);
      continue;
    }
    // An update replaces index rows: rows buffered before it (possibly its own) go in first.
    await insertFirsts();
    await buffer.flush(db);
    const { patient, rid } = await writeRow(db, v);
    // A deletion keeps its compartments (no index rows): who may learn it was deleted depends on them.
    bufferIndex(buffer, pids, v, patient, rid);
  }
  await insertFirsts();
  await buffer.flush(db);
}
