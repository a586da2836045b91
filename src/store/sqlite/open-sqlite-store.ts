// The embedded Store: one file, WAL mode, synchronous=FULL. One connection writes (serialized by a
// mutex so an async transaction never interleaves with another request's statements), another reads
// from the last committed snapshot.
import { AsyncMutex } from '../async-mutex.js';
import { ParamIds } from '../param-ids.js';
import { sqlAccountStore } from '../sql/sql-accounts.js';
import { appendAuditEntries, newAuditChain, sqlAuditStore } from '../sql/sql-audit.js';
import { sqlFeedStore } from '../sql/sql-feeds.js';
import { claimJob, deleteJob, enqueueJob, getJob, type JobExecutor, updateJob } from '../sql/sql-jobs.js';
import {
  countMatches,
  historyPage,
  isVisible,
  readCurrent,
  readVersion,
  scanAllVersions,
  scanResources,
  searchPage,
} from '../sql/sql-reads.js';
import type { Store, StoreWriter, VersionWrite } from '../store.js';
import { GroupCommit } from './group-commit.js';
import { migrateSqlite, openSqliteConnection, type SqliteConnection, translateSqliteError } from './sqlite-database.js';
import { createSecondaryIndexesSql, SQLITE_SECONDARY_INDEXES } from './sqlite-migrations.js';
import { writeVersion, writeVersions } from './sqlite-writes.js';

function paramIdsFor(writer: SqliteConnection): ParamIds {
  return new ParamIds({
    loadAll: () =>
      writer
        .prepare('SELECT pid, type, code FROM search_param')
        .all()
        .map((r) => ({ pid: Number(r.pid), type: String(r.type), code: String(r.code) })),
    create: (type, code) => {
      writer.prepare('INSERT OR IGNORE INTO search_param (type, code) VALUES (?, ?)').run(type, code);
      return Number(writer.prepare('SELECT pid FROM search_param WHERE type = ? AND code = ?').get(type, code)?.pid);
    },
  });
}

function guarded<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(translateSqliteError(err));
  }
}

export interface SqliteStoreOptions {
  /** Page cache of the writing connection in MiB (default 64); bulk imports use far more. */
  readonly writeCacheMb?: number;
  /** Bulk load: commits synced at the end (`flush`), not one by one. */
  readonly deferSync?: boolean;
  /** Wait for another process's write lock this long before answering 503 (default 5 s). */
  readonly busyTimeoutMs?: number;
}

export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const writer = openSqliteConnection(path, {
    ...(options.writeCacheMb ? { cacheMb: options.writeCacheMb } : {}),
    ...(options.deferSync ? { deferSync: true } : {}),
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
  });
  migrateSqlite(writer);
  // A bulk load that did not finish left its indexes deferred: build them now.
  writer.exec(createSecondaryIndexesSql());
  const reader = path === ':memory:' ? writer : openSqliteConnection(path);
  const pids = paramIdsFor(writer);
  const mutex = new AsyncMutex();
  const chain = newAuditChain();
  let savepoints = 0;

  /** better-sqlite3 is synchronous: its answers are wrapped so the shared SQL code can await them. */
  const executor = (pick: () => SqliteConnection): JobExecutor => ({
    all: (sql, params = []) =>
      guarded(() =>
        pick()
          .prepare(sql)
          .all(...params),
      ),
    get: (sql, params = []) =>
      guarded(() =>
        pick()
          .prepare(sql)
          .get(...params),
      ),
    run: (sql, params = []) =>
      guarded(
        () =>
          pick()
            .prepare(sql)
            .run(...params).changes,
      ),
  });
  const txReader = (pick: () => SqliteConnection): Omit<StoreWriter, 'write' | 'appendAudit' | 'lock' | 'feeds'> => {
    const db = executor(pick);
    return {
      readCurrent: (type, id) => readCurrent(db, type, id),
      readVersion: (type, id, v) => readVersion(db, type, id, v),
      search: (request) => searchPage(db, pids, request),
      count: (request) => countMatches(db, pids, request),
      history: (query) => historyPage(db, query, pids),
      visible: (type, id, access) => isVisible(db, pids, type, id, access),
    };
  };
  /**
   * Reads outside a transaction use the writing connection when it is idle: every commit made by
   * another connection empties a connection's page cache, so a separate reader re-read its pages
   * after each write (measured: 930 versus 1,650 requests/s under a mixed load). While a write
   * transaction is open, reads go to the second connection, which sees only committed data.
   * An audit append (which comes with every request) changes only the audit tables: reads of
   * resources may stay on the writer meanwhile, seeing exactly what is committed.
   */
  let auditOnly = false;
  const outsideTransaction = (): SqliteConnection => (writer.inTransaction && !auditOnly ? reader : writer);

  const writerApi: StoreWriter = {
    ...txReader(() => writer),
    write: async (version: VersionWrite) => guarded(() => writeVersion(writer, pids, version)),
    // Write transactions run one at a time on the single writer: there is nothing to wait for.
    lock: async () => undefined,
    // The writer holds the database's only write lock inside a transaction: the chain is safe.
    appendAudit: (entries) =>
      appendAuditEntries(
        executor(() => writer),
        chain,
        entries,
      ),
    feeds: sqlFeedStore(
      executor(() => writer),
      (fn) => fn(executor(() => writer)),
    ),
  };

  const groupCommit = new GroupCommit(writer, writerApi, mutex, () => pids.forgetAfterRollback());

  /** A write outside the FHIR transactions (accounts, sessions, settings): one statement, serialized. */
  const serialized = <T>(fn: (db: JobExecutor) => Promise<T>): Promise<T> =>
    mutex.run(() => fn(executor(() => writer)));
  /**
   * The audit log's appends (which chain hashes, so they need the write lock) commit without a sync
   * under the lock, then sync the log on a background thread before the caller goes on. A commit
   * that synced on the main thread would stall every request for the length of an fsync, and audit
   * entries come with every request; this way other requests run while the disk syncs, and the
   * trail batches the entries that arrive meanwhile into the next commit (measured on this machine,
   * reads by id: 900/s with synced commits, 3,200/s like this). An entry is on disk before its
   * response leaves.
   */
  const auditAppend = async <T>(fn: (db: JobExecutor) => Promise<T>): Promise<T> => {
    const result = await mutex.run(async () => {
      auditOnly = true;
      try {
        return await writer.auditTransactionWithoutSync(() => fn(executor(() => writer)));
      } catch (err) {
        throw translateSqliteError(err);
      } finally {
        auditOnly = false;
      }
    });
    await writer.syncAuditLog();
    return result;
  };

  const store: Store = {
    dialect: 'sqlite',
    accounts: sqlAccountStore(executor(outsideTransaction), serialized),
    feeds: sqlFeedStore(executor(outsideTransaction), serialized),
    audit: sqlAuditStore(executor(outsideTransaction), auditAppend, chain),
    ...txReader(outsideTransaction),
    transaction: (fn) => groupCommit.run(fn),
    exclusive: (_name, fn) => fn(),
    writeGroups: (groups) =>
      mutex.run(async () => {
        const results: ({ ok: true } | { ok: false; error: Error })[] = [];
        try {
          writer.begin();
        } catch (err) {
          throw translateSqliteError(err);
        }
        try {
          for (const group of groups) {
            const name = `g${++savepoints}`;
            writer.savepoint(name);
            try {
              writeVersions(writer, pids, group);
              writer.release(name);
              results.push({ ok: true });
            } catch (err) {
              writer.rollbackTo(name);
              // Parameter ids created inside the rolled-back group are gone: forget them before the
              // next group uses one.
              pids.forgetAfterRollback();
              results.push({ ok: false, error: err instanceof Error ? err : new Error(String(err)) });
            }
          }
          writer.commit();
        } catch (err) {
          writer.rollback();
          pids.forgetAfterRollback();
          throw translateSqliteError(err);
        }
        return results;
      }),
    scan: (query) =>
      scanResources(
        executor(() => reader),
        query,
      ),
    scanVersions: (type) =>
      scanAllVersions(
        executor(() => reader),
        type,
      ),
    countByType: async () =>
      guarded(() =>
        Object.fromEntries(
          reader
            .prepare('SELECT type, COUNT(*) AS n FROM resource WHERE deleted = 0 GROUP BY type ORDER BY type')
            .all()
            .map((r) => [String(r.type), Number(r.n)]),
        ),
      ),
    deferIndexes: () =>
      mutex.run(async () =>
        guarded(() => {
          if (writer.prepare('SELECT 1 AS x FROM resource LIMIT 1').get()) return false;
          for (const [name] of SQLITE_SECONDARY_INDEXES) writer.exec(`DROP INDEX IF EXISTS ${name}`);
          return true;
        }),
      ),
    restoreIndexes: () =>
      mutex.run(async () =>
        guarded(() => {
          writer.exec(createSecondaryIndexesSql());
          writer.analyze();
        }),
      ),
    flush: () => mutex.run(async () => guarded(() => writer.checkpoint())),
    analyze: () => mutex.run(async () => guarded(() => writer.analyze())),
    backup: async (destination) => {
      await reader.backup(destination);
    },
    enqueueJob: (job) =>
      mutex.run(() =>
        enqueueJob(
          executor(() => writer),
          job,
        ),
      ),
    claimJob: (kinds, now) =>
      mutex.run(() =>
        claimJob(
          executor(() => writer),
          kinds,
          now,
          'sqlite',
        ),
      ),
    updateJob: (id, update) =>
      mutex.run(() =>
        updateJob(
          executor(() => writer),
          id,
          update,
        ),
      ),
    getJob: (id) =>
      getJob(
        executor(() => reader),
        id,
      ),
    deleteJob: (id) =>
      mutex.run(() =>
        deleteJob(
          executor(() => writer),
          id,
        ),
      ),
    close: async () => {
      await mutex.run(async () => {
        if (reader !== writer) reader.close();
        writer.close();
      });
    },
  };
  return store;
}
