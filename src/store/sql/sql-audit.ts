// The audit log with SQL both dialects run. Appends happen under an exclusive lock (SQLite's single
// writer; a PostgreSQL transaction-scoped advisory lock), read the last hash, and chain the new
// entries: hash = HMAC-SHA256(key; previous hash, sequence number, time, entry).
import {
  AUDIT_GENESIS,
  type AuditEntry,
  type AuditSortKey,
  type AuditStore,
  agentNameOf,
  chainHash,
  type StoredAuditEntry,
} from '../audit-store.js';
import type { JobExecutor } from './sql-jobs.js';
import type { Row } from './sql-reads.js';

/** The key appends seal entries with; set once the server's secret is known. */
export interface AuditChain {
  key: Buffer | undefined;
}

export const newAuditChain = (): AuditChain => ({ key: undefined });

function toStored(r: Row): StoredAuditEntry {
  return {
    seq: Number(r.seq),
    entry: JSON.parse(String(r.record)) as AuditEntry,
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
  };
}

/** Rows per INSERT statement (11 parameters each, well under either database's limit). */
const ROWS_PER_STATEMENT = 300;

/** Inserts chained entries with one statement per few hundred rows (a round trip each on PostgreSQL). */
async function insertEntries(db: JobExecutor, entries: readonly StoredAuditEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
    const chunk = entries.slice(i, i + ROWS_PER_STATEMENT);
    await db.run(
      `INSERT INTO audit_log (seq, recorded, patient, account, kind, record, prev_hash, hash, username, action, status) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((e) => [
        e.seq,
        e.entry.recorded,
        e.entry.patients[0] ?? '',
        e.entry.accountId ?? '',
        e.entry.kind,
        JSON.stringify(e.entry),
        e.prevHash,
        e.hash,
        agentNameOf(e.entry),
        e.entry.action,
        e.entry.status,
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
export async function appendAuditEntries(
  db: JobExecutor,
  chain: AuditChain,
  entries: readonly AuditEntry[],
): Promise<void> {
  const key = chain.key;
  if (!key) throw new Error('The audit log cannot be written before its chain key is set (the server secret)');
  const last = await db.get('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  let seq = Number(last?.seq ?? 0);
  let prev = last ? String(last.hash) : AUDIT_GENESIS;
  const chained: StoredAuditEntry[] = [];
  for (const entry of entries) {
    seq++;
    const hash = chainHash(key, prev, seq, entry.recorded, JSON.stringify(entry));
    chained.push({ seq, entry, prevHash: prev, hash });
    prev = hash;
  }
  await insertEntries(db, chained);
}

/** The column each sort key orders by; ties fall back to the order of recording. */
const SORT_COLUMNS: Record<AuditSortKey, string> = {
  date: 'a.recorded',
  user: 'a.username',
  patient: 'a.patient',
  action: 'a.action',
  outcome: 'a.status',
};

export function sqlAuditStore(
  read: JobExecutor,
  /** Runs `fn` in one transaction holding the audit append lock. */
  appendTransaction: <T>(fn: (db: JobExecutor) => Promise<T>) => Promise<T>,
  chain: AuditChain,
): AuditStore {
  return {
    setChainKey: (key) => {
      chain.key = key;
    },
    append: (entries) => appendTransaction((db) => appendAuditEntries(db, chain, entries)),
    head: async () => {
      const row = await read.get('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
      return row ? { seq: Number(row.seq), hash: String(row.hash) } : undefined;
    },
    search: async (q) => {
      const conds: string[] = [];
      const params: unknown[] = [];
      const where = (cond: string, ...values: unknown[]) => {
        conds.push(cond);
        params.push(...values);
      };
      // A bulk disclosure ('*', every patient: an export) is in every patient's accounting.
      if (q.patient !== undefined)
        where("a.seq IN (SELECT seq FROM audit_patient WHERE patient IN (?, '*'))", q.patient);
      if (q.accountId !== undefined) where('a.account = ?', q.accountId);
      if (q.username !== undefined) where('a.username = ?', q.username);
      if (q.action !== undefined) where('a.action = ?', q.action);
      if (q.status !== undefined) where('a.status BETWEEN ? AND ?', q.status.low, q.status.high);
      if (q.kind !== undefined) where('a.kind = ?', q.kind);
      if (q.since !== undefined) where('a.recorded >= ?', q.since);
      if (q.until !== undefined) where('a.recorded <= ?', q.until);
      const filter = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
      const total = Number((await read.get(`SELECT COUNT(*) AS n FROM audit_log a ${filter}`, params))?.n ?? 0);
      const order = [
        ...(q.sort ?? []).map((s) => `${SORT_COLUMNS[s.key]} ${s.descending ? 'DESC' : 'ASC'}`),
        (q.sort ?? []).length > 0 && !q.sort?.[0]?.descending ? 'a.seq ASC' : 'a.seq DESC',
      ].join(', ');
      const rows = await read.all(`SELECT * FROM audit_log a ${filter} ORDER BY ${order} LIMIT ? OFFSET ?`, [
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
