// A fresh database and its store for a job test, closed and dropped after each test; and a wait for
// what a job runner does in the background.
import { afterEach } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** Opens a new test database per test (call `open()` inside the test); closes and drops it after. */
export function freshJobStore(): { open(): Promise<Store> } {
  let database: TestDatabase | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    await database?.drop();
    store = undefined;
    database = undefined;
  });
  return {
    open: async () => {
      database = await createTestDatabase();
      store = await openStore(database.url);
      return store;
    },
  };
}

/** Polls `check` until it holds (at most 5 s). */
export async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
}
