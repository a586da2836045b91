// The one place that uses better-sqlite3: opening a connection with the settings Careloop relies on,
// cached prepared statements, and migrations.
import { mkdirSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../store.js';
import { SQLITE_AUDIT_MIGRATIONS, SQLITE_MIGRATIONS } from './sqlite-migrations.js';

export type Row = Record<string, unknown>;

export interface Statement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): Row | undefined;
  all(...params: unknown[]): Row[];
  iterate(...params: unknown[]): IterableIterator<Row>;
}

export interface SqliteConnection {
  readonly path: string;
  prepare(sql: string): Statement;
  exec(sql: string): void;
  /** Runs `fn` inside BEGIN IMMEDIATE ... COMMIT (ROLLBACK on throw). */
  begin(): void;
  commit(): void;
  rollback(): void;
  savepoint(name: string): void;
  release(name: string): void;
  rollbackTo(name: string): void;
  readonly inTransaction: boolean;
  backup(destination: string): Promise<void>;
  /** Gathers the query planner's statistics (see analyzeWithoutSamples). */
  analyze(): void;
  /** Copies the WAL into the database file and syncs it. */
  checkpoint(): void;
  /**
   * Runs `fn`, which writes only to the audit database, in a transaction whose commit does not
   * sync; `syncAuditLog` then makes it durable on a background thread, without holding up the
   * event loop (better-sqlite3 syncs on the calling thread) or the write lock.
   */
  auditTransactionWithoutSync<T>(fn: () => Promise<T>): Promise<T>;
  /** fdatasync of the audit database's write-ahead log, off the main thread. */
  syncAuditLog(): Promise<void>;
  close(): void;
}

const BUSY_TIMEOUT_MS = 5000;

/**
 * Runs ANALYZE (or `PRAGMA optimize`, which runs it where it is due) and keeps only the per-index
 * averages (sqlite_stat1), dropping the value samples (sqlite_stat4). better-sqlite3 is built with
 * SQLITE_ENABLE_STAT4, and with samples present SQLite compiles every statement a second time once
 * its parameters are bound, to plan for those values (sqlite.org/c3ref/prepare.html, "the
 * statement is recompiled ... if the parameter could affect the query plan"): measured on the
 * access-decision query, 0.007 ms without samples and 0.031 ms with them, which cut a coordinator's
 * reads from 2,760 to 1,820 per second once a large table had been analyzed. Careloop's queries
 * lead with the parameter's id and then a value, where the averages choose the same plans.
 * One transaction, so that another connection never loads the samples between the two steps.
 */
function analyzeWithoutSamples(db: Database.Database, statement?: 'ANALYZE' | 'PRAGMA optimize'): void {
  const hasSamples = () => db.prepare("SELECT 1 AS x FROM sqlite_master WHERE name = 'sqlite_stat4'").get();
  // A database analyzed by an earlier version keeps its samples until this runs once.
  if (!statement && !(hasSamples() && db.prepare('SELECT 1 AS x FROM sqlite_stat4 LIMIT 1').get())) return;
  const outer = !db.inTransaction;
  if (outer) db.exec('BEGIN IMMEDIATE');
  try {
    if (statement) db.exec(statement);
    if (hasSamples()) db.exec('DELETE FROM sqlite_stat4');
    if (outer) db.exec('COMMIT');
  } catch (err) {
    if (outer && db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
  // This connection's planner reloads the statistics it just changed.
  db.exec('ANALYZE sqlite_schema');
}

/** Maps SQLite's lock errors to a retryable "unavailable" error instead of a 500. */
export function translateSqliteError(err: unknown): unknown {
  if (err instanceof Error && 'code' in err) {
    const code = String((err as { code: unknown }).code);
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return new StoreUnavailableError('The database is busy; retry shortly');
    }
    // A full disk: nothing was written, and the request may succeed once space is freed.
    if (code === 'SQLITE_FULL') return new StoreUnavailableError('The database is out of disk space; retry later');
  }
  return err;
}

export function openSqliteConnection(
  path: string,
  options: {
    readonly?: boolean;
    /** Page cache size; bulk imports want far more than the default. */
    cacheMb?: number;
    /**
     * For bulk loads: commits are not synced one by one (SQLite's synchronous=NORMAL in WAL mode: the
     * database stays consistent after a crash, the last commits may be lost); the load ends with a
     * checkpoint that syncs everything before it reports success.
     */
    deferSync?: boolean;
    /** How long to wait for another process's write lock before giving up (503). */
    busyTimeoutMs?: number;
  } = {},
): SqliteConnection {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: options.readonly === true });
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
  if (!options.readonly && Number(db.pragma('page_count', { simple: true })) === 0) {
    // A new database: 16 KiB pages make index inserts about 1.5x faster than the 4 KiB default
    // (measured on this project's index tables); the size is fixed once the first table exists.
    db.pragma('page_size = 16384');
  }
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    // Every acknowledged write survives a power loss: the WAL is synced at each commit.
    db.pragma(options.deferSync ? 'synchronous = NORMAL' : 'synchronous = FULL');
  }
  // The audit log's own file (see SQLITE_AUDIT_MIGRATIONS), in every connection as schema `audit`.
  const auditPath = auditDatabasePath(path);
  db.prepare('ATTACH DATABASE ? AS audit').run(auditPath);
  if (!options.readonly) {
    if (Number(db.pragma('audit.page_count', { simple: true })) === 0) db.pragma('audit.page_size = 4096');
    db.pragma('audit.journal_mode = WAL');
    db.pragma(`audit.synchronous = ${options.deferSync ? 'NORMAL' : 'FULL'}`);
  }
  if (!options.readonly) analyzeWithoutSamples(db);
  db.pragma(`cache_size = ${-1024 * (options.cacheMb ?? 64)}`);
  db.pragma('temp_store = MEMORY');
  db.pragma('mmap_size = 268435456');
  const synchronous = options.deferSync ? 'NORMAL' : 'FULL';
  let walHandle: Promise<FileHandle> | undefined;
  /** fdatasync of the audit database's WAL file (a sync through any descriptor of a file syncs its data). */
  const syncWal = async (): Promise<void> => {
    if (path === ':memory:') return;
    walHandle ??= open(`${auditPath}-wal`, 'r');
    try {
      await (await walHandle).datasync();
    } catch (err) {
      walHandle = undefined;
      throw err;
    }
  };
  const cache = new Map<string, Statement>();
  const prepare = (sql: string): Statement => {
    let st = cache.get(sql);
    if (!st) {
      st = db.prepare(sql) as unknown as Statement;
      if (cache.size > 2000) cache.clear();
      cache.set(sql, st);
    }
    return st;
  };
  return {
    path,
    prepare,
    exec: (sql) => {
      db.exec(sql);
    },
    begin: () => {
      db.exec('BEGIN IMMEDIATE');
    },
    commit: () => {
      db.exec('COMMIT');
    },
    rollback: () => {
      if (db.inTransaction) db.exec('ROLLBACK');
    },
    savepoint: (name) => {
      db.exec(`SAVEPOINT ${name}`);
    },
    release: (name) => {
      db.exec(`RELEASE ${name}`);
    },
    rollbackTo: (name) => {
      db.exec(`ROLLBACK TO ${name}`);
      db.exec(`RELEASE ${name}`);
    },
    get inTransaction() {
      return db.inTransaction;
    },
    backup: async (destination) => {
      await db.backup(destination);
      // better-sqlite3 supports `attached` (its types do not list it).
      await db.backup(auditDatabasePath(destination), { attached: 'audit' } as unknown as Parameters<
        typeof db.backup
      >[1]);
    },
    analyze: () => analyzeWithoutSamples(db, 'ANALYZE'),
    checkpoint: () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    syncAuditLog: syncWal,
    auditTransactionWithoutSync: async (fn) => {
      db.pragma('audit.synchronous = NORMAL');
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        db.exec('BEGIN IMMEDIATE');
        try {
          result = await fn();
          db.exec('COMMIT');
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      } finally {
        db.pragma(`audit.synchronous = ${synchronous}`);
      }
      return result;
    },
    close: () => {
      void walHandle?.then((h) => h.close()).catch(() => undefined);
      if (db.open) {
        if (!options.readonly) analyzeWithoutSamples(db, 'PRAGMA optimize');
        db.close();
      }
    },
  };
}

/** Applies the migrations a database has not seen yet, each in its own transaction. */
export function migrateSqlite(conn: SqliteConnection): void {
  for (const [schema, migrations] of [
    ['main', SQLITE_MIGRATIONS],
    ['audit', SQLITE_AUDIT_MIGRATIONS],
  ] as const) {
    const current = Number(conn.prepare(`PRAGMA ${schema}.user_version`).get()?.user_version ?? 0);
    for (const m of migrations) {
      if (m.version <= current) continue;
      conn.begin();
      try {
        conn.exec(m.sql);
        conn.exec(`PRAGMA ${schema}.user_version = ${m.version}`);
        conn.commit();
      } catch (err) {
        conn.rollback();
        throw err;
      }
    }
  }
  moveAuditLogOutOfMain(conn);
}

/**
 * Databases made before the audit log had its own file kept it in the main one: move it (its
 * entries and chain as they are) into the audit database.
 */
export function moveAuditLogOutOfMain(conn: SqliteConnection): void {
  const inMain = conn
    .prepare("SELECT 1 AS x FROM main.sqlite_master WHERE type = 'table' AND name = 'audit_log'")
    .get();
  if (!inMain) return;
  conn.begin();
  try {
    conn.exec(`
INSERT INTO audit.audit_log SELECT * FROM main.audit_log;
INSERT INTO audit.audit_patient SELECT * FROM main.audit_patient;
DROP TRIGGER IF EXISTS main.audit_log_no_update;
DROP TRIGGER IF EXISTS main.audit_log_no_delete;
DROP TABLE main.audit_patient;
DROP TABLE main.audit_log;`);
    conn.commit();
  } catch (err) {
    conn.rollback();
    throw err;
  }
}

/** The audit database beside a main database file. */
export function auditDatabasePath(path: string): string {
  return path === ':memory:' ? ':memory:' : `${path}-audit`;
}
