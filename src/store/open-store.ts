// Opens the Store a database URL names: a `postgres://` URL for PostgreSQL, a file path (or `sqlite:`
// URL) for the embedded database.
import { resolve } from 'node:path';
import { openPostgresStore } from './postgres/open-postgres-store.js';
import { openSqliteStore } from './sqlite/open-sqlite-store.js';
import type { Store } from './store.js';

export const DEFAULT_DATABASE = './data/careloop.db';

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export interface OpenStoreOptions {
  /** Tune for a bulk load: a larger write cache, commits synced at the end (call `flush`). */
  readonly bulk?: boolean;
}

export async function openStore(url: string = DEFAULT_DATABASE, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(url)) {
    const pool = Number(process.env.CARELOOP_PG_POOL ?? 10);
    return openPostgresStore(url, { maxConnections: Number.isInteger(pool) && pool > 0 ? pool : 10 });
  }
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  // Random index inserts dirty pages all over the indexes; a cache that holds them lets one commit
  // write each page once (measured: about 12,000 versus 8,000 resources/s at 100,000 resources).
  return openSqliteStore(
    path === ':memory:' ? path : resolve(path),
    options.bulk ? { writeCacheMb: 512, deferSync: true } : {},
  );
}
