// Opens the Store a database URL names: a file path (or `sqlite:` URL) for the embedded database.
import { resolve } from 'node:path';
import { openSqliteStore } from './sqlite/open-sqlite-store.js';
import type { Store } from './store.js';

export const DEFAULT_DATABASE = './data/careloop.db';

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export async function openStore(url: string = DEFAULT_DATABASE): Promise<Store> {
  if (isPostgresUrl(url)) {
    throw new Error('PostgreSQL support is not available in this build; use an SQLite file path');
  }
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  return openSqliteStore(path === ':memory:' ? path : resolve(path));
}
