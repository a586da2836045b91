// Group commit: write transactions that arrive together share one database transaction and one
// sync. Each runs in its own savepoint, so one that fails rolls back alone; none is acknowledged
// before the shared COMMIT has reached the disk. With synchronous=FULL a commit costs a WAL sync
// (about half a millisecond here, more under load), which made concurrent writers queue behind each
// other's syncs; sharing the sync is what lets the write rate grow with the number of writers.
import type { AsyncMutex } from '../async-mutex.js';
import type { StoreWriter } from '../store.js';
import { type SqliteConnection, translateSqliteError } from './sqlite-database.js';

interface Pending {
  readonly fn: (tx: StoreWriter) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

/** Transactions per commit: bounds how long the first of a burst waits for the last. */
const MAX_GROUP = 64;

export class GroupCommit {
  private readonly queue: Pending[] = [];
  private scheduled = false;
  private savepoints = 0;

  constructor(
    private readonly conn: SqliteConnection,
    private readonly api: StoreWriter,
    private readonly mutex: AsyncMutex,
    /** Called after any rollback (caches of ids created in the rolled-back work must be dropped). */
    private readonly onRollback: () => void,
  ) {}

  run<T>(fn: (tx: StoreWriter) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        void this.mutex.run(() => this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    // Let requests that arrived with this one reach the queue before the transaction starts.
    await new Promise((resolve) => setImmediate(resolve));
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_GROUP);
      const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
      try {
        this.conn.begin();
      } catch (err) {
        for (const p of batch) p.reject(translateSqliteError(err));
        continue;
      }
      for (const p of batch) {
        const name = `t${++this.savepoints}`;
        this.conn.savepoint(name);
        try {
          const value = await p.fn(this.api);
          this.conn.release(name);
          outcomes.push({ ok: true, value });
        } catch (err) {
          this.conn.rollbackTo(name);
          this.onRollback();
          outcomes.push({ ok: false, error: translateSqliteError(err) });
        }
      }
      try {
        this.conn.commit();
      } catch (err) {
        this.conn.rollback();
        this.onRollback();
        const failure = translateSqliteError(err);
        for (const p of batch) p.reject(failure);
        continue;
      }
      batch.forEach((p, i) => {
        const o = outcomes[i] as (typeof outcomes)[number];
        if (o.ok) p.resolve(o.value);
        else p.reject(o.error);
      });
    }
  }
}
