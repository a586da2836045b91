// Search parameters are stored in the index tables by a small integer id (`search_param.pid`) rather
// than by name. This cache maps (resource type, code) to that id for both dialects; ids are created
// on first use inside the writing transaction and re-read when another process created them.
export interface ParamIdSource {
  /** All known ids (called at start and when a lookup misses). */
  loadAll(): Iterable<{ type: string; code: string; pid: number }>;
  /** Creates the id if absent and returns it (inside the current write transaction). */
  create(type: string, code: string): number;
}

export class ParamIds {
  private readonly ids = new Map<string, number>();
  /** type -> code -> pid for the write path, which looks up every index row (no string building). */
  private readonly byType = new Map<string, Map<string, number>>();

  constructor(private readonly source: ParamIdSource) {
    this.reload();
  }

  private reload(): void {
    for (const { type, code, pid } of this.source.loadAll()) this.ids.set(`${type}\u0000${code}`, pid);
  }

  /** The id for searching: -1 when nothing was ever indexed under the parameter. */
  lookup(type: string, code: string): number {
    const key = `${type}\u0000${code}`;
    let pid = this.ids.get(key);
    if (pid === undefined) {
      this.reload();
      pid = this.ids.get(key);
      if (pid === undefined) {
        // Remember the miss until the next write creates it, so repeated searches stay cheap.
        this.ids.set(key, -1);
        return -1;
      }
    }
    return pid;
  }

  /** The id for writing, created when missing. */
  ensure(type: string, code: string): number {
    let codes = this.byType.get(type);
    const known = codes?.get(code);
    if (known !== undefined) return known;
    const key = `${type}\u0000${code}`;
    let pid = this.ids.get(key);
    if (pid === undefined || pid < 0) {
      pid = this.source.create(type, code);
      this.ids.set(key, pid);
    }
    if (!codes) {
      codes = new Map();
      this.byType.set(type, codes);
    }
    codes.set(code, pid);
    return pid;
  }

  /** Forget cached misses (after a rollback, ids created in it are gone too). */
  forgetAfterRollback(): void {
    this.ids.clear();
    this.byType.clear();
    this.reload();
  }
}
