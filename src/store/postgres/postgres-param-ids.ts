// Search parameter ids on PostgreSQL. Several servers share the table: an id is created once
// (INSERT ... ON CONFLICT DO NOTHING, outside the writing transaction so a rollback never takes it
// away), and a lookup that misses asks the database, since another server may have created it.
import type { PidLookup } from '../sql/sql-reads.js';
import type { PgExecutor } from './postgres-database.js';

const key = (type: string, code: string): string => `${type}\u0000${code}`;

export class PgParamIds implements PidLookup {
  readonly indexHasPatient = true;
  private readonly ids = new Map<string, number>();
  /** Lookups that missed since the last `takeMisses`. */
  private misses: [string, string][] = [];

  constructor(private readonly db: PgExecutor) {}

  async load(): Promise<void> {
    for (const r of await this.db.all('SELECT pid, type, code FROM search_param')) {
      this.ids.set(key(String(r.type), String(r.code)), Number(r.pid));
    }
  }

  lookup(type: string, code: string): number {
    const pid = this.ids.get(key(type, code));
    if (pid === undefined) {
      this.misses.push([type, code]);
      return -1;
    }
    return pid;
  }

  /** The id of a parameter already ensured (the write path). */
  known(type: string, code: string): number {
    const pid = this.ids.get(key(type, code));
    if (pid === undefined) throw new Error(`search parameter ${type}.${code} has no id yet`);
    return pid;
  }

  takeMisses(): [string, string][] {
    const m = this.misses;
    this.misses = [];
    return m;
  }

  /** Reads ids created elsewhere for the given parameters; true when any was found. */
  async refresh(pairs: readonly [string, string][]): Promise<boolean> {
    let found = false;
    for (const [type, code] of pairs) {
      const row = await this.db.get('SELECT pid FROM search_param WHERE type = ? AND code = ?', [type, code]);
      if (row) {
        this.ids.set(key(type, code), Number(row.pid));
        found = true;
      }
    }
    return found;
  }

  /** Creates the ids of these parameters where missing. */
  async ensure(pairs: Iterable<readonly [string, string]>): Promise<void> {
    const missing = new Map<string, readonly [string, string]>();
    for (const p of pairs) if (!this.ids.has(key(p[0], p[1]))) missing.set(key(p[0], p[1]), p);
    if (missing.size === 0) return;
    const list = [...missing.values()];
    await this.db.run(
      'INSERT INTO search_param (type, code) SELECT * FROM unnest(?::text[], ?::text[]) ON CONFLICT DO NOTHING',
      [list.map((p) => p[0]), list.map((p) => p[1])],
    );
    const rows = await this.db.all(
      'SELECT sp.pid, sp.type, sp.code FROM search_param sp JOIN unnest(?::text[], ?::text[]) AS want(type, code) ON sp.type = want.type AND sp.code = want.code',
      [list.map((p) => p[0]), list.map((p) => p[1])],
    );
    for (const r of rows) this.ids.set(key(String(r.type), String(r.code)), Number(r.pid));
  }
}
