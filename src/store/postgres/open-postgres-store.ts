// The PostgreSQL Store: the same contract as the embedded one, for several stateless Careloop
// servers in front of one database. Reads share the SQL of src/store/sql; writes lock the rows they
// replace, so concurrent servers serialize on a resource and never write the same version twice.
import { sqlAccountStore } from '../sql/sql-accounts.js';
import { appendAuditEntries, newAuditChain, sqlAuditStore } from '../sql/sql-audit.js';
import { sqlFeedStore } from '../sql/sql-feeds.js';
import { claimJob, deleteJob, enqueueJob, getJob, updateJob } from '../sql/sql-jobs.js';
import {
  countMatches,
  historyPage,
  isVisible,
  readCurrent,
  readVersion,
  scanAllVersions,
  scanResources,
  searchPage,
  toStoredVersion,
} from '../sql/sql-reads.js';
import type { Store, StoreWriter, VersionWrite } from '../store.js';
import { StoreUnavailableError } from '../store.js';
import { openPgDatabase, type PgExecutor, type PgOptions } from './postgres-database.js';
import { migratePg, PG_SECONDARY_INDEXES, pgSecondaryIndexesSql } from './postgres-migrations.js';
import { PgParamIds } from './postgres-param-ids.js';
import { writeVersions } from './postgres-writes.js';

function paramPairs(versions: readonly VersionWrite[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (const v of versions) {
    const ix = v.index;
    if (!ix) continue;
    for (const rows of [
      ix.strings,
      ix.tokens,
      ix.references,
      ix.dates,
      ix.numbers,
      ix.quantities,
      ix.uris,
      ix.composites,
    ]) {
      for (const r of rows) pairs.push([v.resourceType, r.param]);
    }
  }
  return pairs;
}

/** Any fixed number: the lock audit appends take. */
const AUDIT_APPEND_LOCK = 4_213_370_002;

/**
 * How long an audit append waits for the log (its append lock, or the table when someone locked
 * it): past this the request fails closed with a 503 the client may retry, instead of waiting for
 * as long as the lock is held.
 */
const AUDIT_LOCK_TIMEOUT = '3s';

/** Takes the audit append lock in the current transaction, waiting at most AUDIT_LOCK_TIMEOUT for any lock from here on. */
async function lockAuditLog(tx: PgExecutor): Promise<void> {
  // One round trip: the timeout (SET LOCAL, as set_config(..., true)) is set in the subquery, which
  // a volatile function keeps from being flattened, so it holds before the lock is asked for.
  await tx.run(
    `SELECT pg_advisory_xact_lock(?) FROM (SELECT set_config('lock_timeout', '${AUDIT_LOCK_TIMEOUT}', true)) AS timeout`,
    [AUDIT_APPEND_LOCK],
  );
}

export async function openPostgresStore(url: string, options: PgOptions = {}): Promise<Store> {
  const db = openPgDatabase(url, options);
  await db.withClient((client) => migratePg(client));
  // Parameter ids are created on a connection of their own, committed at once: a write transaction
  // that needs one never waits for a second connection from its own pool (which, with every
  // connection held by such transactions, would wait forever), and a rollback never takes one away.
  const pidDb = openPgDatabase(url, { maxConnections: 1 });
  const pids = new PgParamIds(pidDb);
  const chain = newAuditChain();
  await pids.load();

  /** A search, repeated once if it used parameter ids another server created meanwhile. */
  const search = async (exec: PgExecutor, request: Parameters<Store['search']>[0]) => {
    pids.takeMisses();
    const page = await searchPage(exec, pids, request);
    const misses = pids.takeMisses();
    if (misses.length > 0 && (await pids.refresh(misses))) return searchPage(exec, pids, request);
    return page;
  };
  const count = async (exec: PgExecutor, request: Parameters<Store['count']>[0]) => {
    pids.takeMisses();
    const n = await countMatches(exec, pids, request);
    const misses = pids.takeMisses();
    if (misses.length > 0 && (await pids.refresh(misses))) return countMatches(exec, pids, request);
    return n;
  };

  const writerApi = (tx: PgExecutor): StoreWriter => ({
    // Inside a write, the current version is read with a row lock: a concurrent writer of the same
    // resource waits, then sees this one's version (and an If-Match on the old one fails with 412).
    readCurrent: async (type, id) => {
      const row = await tx.get(
        'SELECT rid, patient, type, id, version, last_updated, deleted, content FROM resource WHERE type = ? AND id = ? FOR UPDATE',
        [type, id],
      );
      return row ? toStoredVersion(row) : undefined;
    },
    readVersion: (type, id, v) => readVersion(tx, type, id, v),
    search: (request) => search(tx, request),
    count: (request) => count(tx, request),
    history: (query) => historyPage(tx, query, pids),
    visible: (type, id, access) => isVisible(tx, pids, type, id, access),
    write: async (version) => {
      await pids.ensure(paramPairs([version]));
      await writeVersions(tx, pids, [version]);
    },
    lock: async (name) => {
      await tx.run('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`careloop:${name}`]);
    },
    // Taken last in a write transaction and held to its commit, so entries chain in commit order.
    appendAudit: async (entries) => {
      await lockAuditLog(tx);
      await appendAuditEntries(tx, chain, entries);
    },
    feeds: sqlFeedStore(tx, (fn) => fn(tx)),
  });

  let savepoints = 0;
  const store: Store = {
    dialect: 'postgres',
    accounts: sqlAccountStore(db, (fn) => fn(db)),
    feeds: sqlFeedStore(db, (fn) => fn(db)),
    // Appends chain hashes: one server at a time, under a transaction-scoped advisory lock.
    audit: sqlAuditStore(
      db,
      (fn) =>
        db.transaction(async (tx) => {
          await lockAuditLog(tx);
          return fn(tx);
        }),
      chain,
    ),
    readCurrent: (type, id) => readCurrent(db, type, id),
    readVersion: (type, id, v) => readVersion(db, type, id, v),
    search: (request) => search(db, request),
    count: (request) => count(db, request),
    history: (query) => historyPage(db, query, pids),
    visible: (type, id, access) => isVisible(db, pids, type, id, access),
    transaction: async (fn) => {
      // Two servers creating the same new resource at once: one insert loses on the unique key.
      // That is a conflict for the client only if it asked for a version; otherwise run again.
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction((tx) => fn(writerApi(tx)));
        } catch (err) {
          const deadlock =
            err instanceof Error && ['40P01', '40001'].includes(String((err as { code?: unknown }).code));
          if (!deadlock || attempt >= 3) throw err;
        }
      }
    },
    exclusive: (name, fn) =>
      db.withClient(async (client) => {
        await client.run('SELECT pg_advisory_lock(hashtextextended(?, 0))', [`careloop:${name}`]);
        try {
          return await fn();
        } finally {
          await client.run('SELECT pg_advisory_unlock(hashtextextended(?, 0))', [`careloop:${name}`]);
        }
      }),
    writeGroups: async (groups) => {
      await pids.ensure(paramPairs(groups.flat()));
      return db.transaction(async (tx) => {
        const results: ({ ok: true } | { ok: false; error: Error })[] = [];
        for (const group of groups) {
          const name = `g${++savepoints}`;
          await tx.run(`SAVEPOINT ${name}`);
          try {
            await writeVersions(tx, pids, group);
            await tx.run(`RELEASE SAVEPOINT ${name}`);
            results.push({ ok: true });
          } catch (err) {
            if (err instanceof StoreUnavailableError) throw err;
            await tx.run(`ROLLBACK TO SAVEPOINT ${name}`);
            await tx.run(`RELEASE SAVEPOINT ${name}`);
            results.push({ ok: false, error: err instanceof Error ? err : new Error(String(err)) });
          }
        }
        return results;
      });
    },
    scan: (query) => scanResources(db, query),
    scanVersions: (type) => scanAllVersions(db, type),
    countByType: async () =>
      Object.fromEntries(
        (await db.all('SELECT type, COUNT(*) AS n FROM resource WHERE deleted = 0 GROUP BY type ORDER BY type')).map(
          (r) => [String(r.type), Number(r.n)],
        ),
      ),
    deferIndexes: async () => {
      if (await db.get('SELECT 1 AS x FROM resource LIMIT 1')) return false;
      for (const [name] of PG_SECONDARY_INDEXES) await db.run(`DROP INDEX IF EXISTS ${name}`);
      return true;
    },
    restoreIndexes: async () => {
      await db.run(pgSecondaryIndexesSql());
      await db.run('ANALYZE');
    },
    flush: async () => undefined,
    analyze: async () => {
      await db.run('ANALYZE');
    },
    backup: async () => {
      throw new Error('careloop backup copies the embedded database; back up PostgreSQL with pg_dump or a base backup');
    },
    enqueueJob: (job) => enqueueJob(db, job),
    claimJob: (kinds, now) => claimJob(db, kinds, now, 'postgres'),
    updateJob: (id, update) => updateJob(db, id, update),
    getJob: (id) => getJob(db, id),
    deleteJob: (id) => deleteJob(db, id),
    close: async () => {
      await db.close();
      await pidDb.close();
    },
  };
  return store;
}
