// The audit log with SQL both dialects run. Appends happen under an exclusive lock (SQLite's single
// writer; a PostgreSQL transaction-scoped advisory lock), read the last hash, and chain the new
// entries: hash = SHA-256(previous hash, sequence number, time, entry).
import { AUDIT_GENESIS, type AuditEntry, type AuditStore, auditHash, type StoredAuditEntry } from '../audit-store.js';
import type { JobExecutor } from './sql-jobs.js';
import type { Row } from './sql-reads.js';

function toStored(r: Row): StoredAuditEntry {
  return {
    seq: Number(r.seq),
    entry: JSON.parse(String(r.record)) as AuditEntry,
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
  };
}

/** Rows per INSERT statement (8 parameters each, well under either database's limit). */
const ROWS_PER_STATEMENT = 400;

/** Inserts chained entries with one statement per few hundred rows (a round trip each on PostgreSQL). */
async function insertEntries(db: JobExecutor, entries: readonly StoredAuditEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
    const chunk = entries.slice(i, i + ROWS_PER_STATEMENT);
    await db.run(
      `INSERT INTO audit_log (seq, recorded, patient, account, kind, record, prev_hash, hash) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((e) => [
        e.seq,
        e.entry.recorded,
        e.entry.patients[0] ?? '',
        e.entry.accountId ?? '',
        e.entry.kind,
        JSON.stringify(e.entry),
        e.prevHash,
        e.hash,
      ]),
    );
    const links = chunk.flatMap((e) => [...new Set(e.entry.patients)].map((p) => [p, e.seq] as const));
    for (let j = 0; j < links.length; j += ROWS_PER_STATEMENT) {
      const part = links.slice(j, j + ROWS_PER_STATEMENT);
      await db.run(
        `INSERT INTO audit_patient (patient, seq) VALUES ${part.map(() => '(?, ?)').join(', ')}`,
        part.flat(),
      );
    }
  }
}

/** Appends entries on `db`, which must hold the append lock (inside a transaction that has it). */
export async function appendAuditEntries(db: JobExecutor, entries: readonly AuditEntry[]): Promise<void> {
  const last = await db.get('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  let seq = Number(last?.seq ?? 0);
  let prev = last ? String(last.hash) : AUDIT_GENESIS;
  const chained: StoredAuditEntry[] = [];
  for (const entry of entries) {
    seq++;
    const hash = auditHash(prev, seq, entry.recorded, JSON.stringify(entry));
    chained.push({ seq, entry, prevHash: prev, hash });
    prev = hash;
  }
  await insertEntries(db, chained);
}

export function sqlAuditStore(
  read: JobExecutor,
  /** Runs `fn` in one transaction holding the audit append lock. */
  appendTransaction: <T>(fn: (db: JobExecutor) => Promise<T>) => Promise<T>,
): AuditStore {
  return {
    append: (entries) => appendTransaction((db) => appendAuditEntries(db, entries)),
    search: async (q) => {
      const conds: string[] = [];
      const params: unknown[] = [];
      if (q.patient !== undefined) {
        conds.push('a.seq IN (SELECT seq FROM audit_patient WHERE patient = ?)');
        params.push(q.patient);
      }
      if (q.accountId !== undefined) {
        conds.push('a.account = ?');
        params.push(q.accountId);
      }
      if (q.kind !== undefined) {
        conds.push('a.kind = ?');
        params.push(q.kind);
      }
      if (q.since !== undefined) {
        conds.push('a.recorded >= ?');
        params.push(q.since);
      }
      if (q.until !== undefined) {
        conds.push('a.recorded <= ?');
        params.push(q.until);
      }
      const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
      const total = Number((await read.get(`SELECT COUNT(*) AS n FROM audit_log a ${where}`, params))?.n ?? 0);
      const rows = await read.all(`SELECT * FROM audit_log a ${where} ORDER BY a.seq DESC LIMIT ? OFFSET ?`, [
        ...params,
        q.count,
        q.offset,
      ]);
      return { entries: rows.map(toStored), total };
    },
    importEntries: (entries) => appendTransaction((db) => insertEntries(db, entries)),
    get: async (seq) => {
      const row = await read.get('SELECT * FROM audit_log WHERE seq = ?', [seq]);
      return row ? toStored(row) : undefined;
    },
    scan: async function* () {
      let after = 0;
      for (;;) {
        const rows = await read.all('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1000', [after]);
        if (rows.length === 0) return;
        for (const r of rows) yield toStored(r);
        after = Number(rows[rows.length - 1]?.seq);
      }
    },
  };
}
