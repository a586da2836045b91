// The one place that uses `pg`: a connection pool with Careloop's limits, `?` placeholders turned
// into `$n`, transactions on one pooled client, and errors sorted into "the database is away, retry"
// (503) and the rest.
import pg from 'pg';
import type { Row, SqlExecutor } from '../sql/sql-reads.js';
import { StoreUnavailableError } from '../store.js';

// int8 columns (row ids, epoch milliseconds, date bounds) fit in a double: read them as numbers.
pg.types.setTypeParser(20, (v: string) => Number(v));

export interface PgExecutor extends SqlExecutor {
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

export interface PgDatabase extends PgExecutor {
  transaction<T>(fn: (tx: PgExecutor) => Promise<T>): Promise<T>;
  /** Runs `fn` on one client outside any transaction (advisory locks, session settings). */
  withClient<T>(fn: (client: PgExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface PgOptions {
  /** Pool size; each server process holds at most this many connections. */
  readonly maxConnections?: number;
}

/** `?` to `$1, $2, ...`, leaving quoted strings and identifiers alone. */
export function toPgPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      out += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += c;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  return out;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Errors that mean "the database is not reachable right now": the request may be retried. */
export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = String((err as { code?: unknown }).code ?? '');
  if (CONNECTION_CODES.has(code)) return true;
  // 57P01-03: administrator shutdown, crash shutdown, cannot connect now; 08xxx: connection exceptions;
  // 53100, 53200, 53300: disk full, out of memory, too many connections; 55P03: a lock not granted
  // within lock_timeout (the audit log held by someone else).
  if (/^(57P0[123]|08...|53[123]00|55P03)$/.test(code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
    err.message,
  );
}

export function translatePgError(err: unknown): unknown {
  if (!isUnavailable(err)) return err;
  const code = String((err as { code?: unknown }).code ?? '');
  if (code === '53100') return new StoreUnavailableError('The database is out of disk space; retry later');
  if (code === '55P03') return new StoreUnavailableError('The database is busy; retry shortly');
  return new StoreUnavailableError('The database is not reachable; retry shortly');
}

function executorOf(client: pg.Pool | pg.PoolClient): PgExecutor {
  const query = async (sql: string, params: readonly unknown[] = []): Promise<pg.QueryResult<Row>> => {
    try {
      return await client.query<Row>(toPgPlaceholders(sql), [...params]);
    } catch (err) {
      throw translatePgError(err);
    }
  };
  return {
    all: async (sql, params) => (await query(sql, params)).rows,
    get: async (sql, params) => (await query(sql, params)).rows[0],
    run: async (sql, params) => (await query(sql, params)).rowCount ?? 0,
  };
}

export function openPgDatabase(url: string, options: PgOptions = {}): PgDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    // A query that runs away holds a connection: stop it (the request answers 503/500).
    statement_timeout: 60_000,
    application_name: 'careloop',
  });
  // An idle client whose server went away reports here; the pool replaces it on the next query.
  pool.on('error', () => undefined);
  const base = executorOf(pool);
  const withClient = async <T>(fn: (client: PgExecutor) => Promise<T>): Promise<T> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw translatePgError(err);
    }
    let broken = false;
    try {
      return await fn(executorOf(client));
    } catch (err) {
      broken = isUnavailable(err) || err instanceof StoreUnavailableError;
      throw err;
    } finally {
      client.release(broken);
    }
  };
  return {
    ...base,
    withClient,
    transaction: (fn) =>
      withClient(async (client) => {
        await client.run('BEGIN');
        try {
          const result = await fn(client);
          await client.run('COMMIT');
          return result;
        } catch (err) {
          await client.run('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }),
    close: async () => {
      await pool.end();
    },
  };
}
