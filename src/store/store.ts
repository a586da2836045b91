// The persistence contract. The server and the domain only ever see this interface; SQLite (embedded
// default) and PostgreSQL implement it, and one contract test suite runs against both. SQL lives
// only below this file.
import type { ResourceIndex } from '../fhir/search/extract-index.js';
import type { AccessFilter, SearchRequest } from '../fhir/search/search-request.js';
import type { AccountStore } from './account-store.js';
import type { AuditEntry, AuditStore } from './audit-store.js';
import type { FeedStore } from './feed-store.js';

/** One version of a resource as stored. */
export interface StoredVersion {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: number;
  /** Epoch milliseconds. */
  readonly lastUpdated: number;
  readonly deleted: boolean;
  /** The resource as JSON text (meta.versionId and meta.lastUpdated included); undefined for a deletion. */
  readonly json: string | undefined;
  /** The patient whose compartment holds the resource, when known ('' or undefined: none). */
  readonly patient?: string;
}

/** A new version to write, already validated and indexed by the layer above. */
export interface VersionWrite {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: number;
  readonly lastUpdated: number;
  /** The JSON text; undefined writes a deletion. */
  readonly json: string | undefined;
  readonly index: ResourceIndex | undefined;
  /** Ids of the patients whose compartment holds this resource (first = distribution key). */
  readonly compartments: readonly string[];
}

export interface SearchPage {
  readonly matches: readonly StoredVersion[];
  readonly included: readonly StoredVersion[];
  /** Present when asked for (_total) or known for free. */
  readonly total: number | undefined;
  /** Whether more matches follow this page. */
  readonly hasMore: boolean;
  /** Row-id snapshot the next pages should use. */
  readonly snapshot: number;
  /** Warnings to return with the page (e.g. an _include that was cut short). */
  readonly warnings: readonly string[];
}

export interface HistoryQuery {
  readonly access?: AccessFilter;
  readonly resourceType?: string;
  readonly id?: string;
  /** Only versions of these resources (of `resourceType`): several resources' histories in one query. */
  readonly ids?: readonly string[];
  /** Only versions written at or after (epoch ms). */
  readonly since?: number;
  /** Only versions written at or before (epoch ms). */
  readonly at?: number;
  readonly count: number;
  readonly offset: number;
}

export interface HistoryPage {
  readonly versions: readonly StoredVersion[];
  readonly total: number;
}

export interface ScanQuery {
  readonly resourceType: string;
  /** Only resources last updated at or after (epoch ms). */
  readonly since?: number;
  /** Only resources in these patients' compartments. */
  readonly patientIds?: readonly string[];
  /** Include deleted resources (for migration); default false. */
  readonly includeDeleted?: boolean;
}

export interface Job {
  readonly id: string;
  readonly kind: string;
  readonly status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  readonly payload: unknown;
  readonly result: unknown;
  readonly progress: string | undefined;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly runAt: number;
  readonly attempts: number;
}

export interface JobUpdate {
  readonly status?: Job['status'];
  readonly result?: unknown;
  readonly progress?: string;
  readonly runAt?: number;
}

export interface StoreReader {
  /** The current version (possibly a deletion), or undefined when the resource never existed. */
  readCurrent(resourceType: string, id: string): Promise<StoredVersion | undefined>;
  readVersion(resourceType: string, id: string, versionId: number): Promise<StoredVersion | undefined>;
  search(request: SearchRequest): Promise<SearchPage>;
  /** Number of matches only (for conditional interactions and _summary=count). */
  count(request: SearchRequest): Promise<number>;
  history(query: HistoryQuery): Promise<HistoryPage>;
  /** Whether the resource (current version, deleted or not) is within what `access` lets one see. */
  visible(resourceType: string, id: string, access: AccessFilter): Promise<boolean>;
}

export interface StoreWriter extends StoreReader {
  /**
   * Writes a new version. `versionId` must be exactly one more than the current version (1 for a new
   * resource); otherwise a VersionConflictError is thrown and nothing is written.
   */
  write(version: VersionWrite): Promise<void>;
  /** Appends audit entries in this transaction: they commit with its writes, or not at all. */
  appendAudit(entries: readonly AuditEntry[]): Promise<void>;
  /** The feed log, in this transaction: a message is kept with what it wrote, or not at all. */
  readonly feeds: Pick<FeedStore, 'receiveFeedMessage' | 'settleFeedMessage'>;
  /**
   * Holds the named lock until this transaction ends: transactions that take the same name run
   * their checks one after another, so that a rule such as "create only if none matches" or "no
   * overlapping appointment" holds however many servers race (a PostgreSQL transaction-level
   * advisory lock; on the embedded database every write transaction is alone already). Reads made
   * after taking it see what the transactions before it committed.
   */
  lock(name: string): Promise<void>;
}

/** Thrown when a write's version does not follow the stored one (a concurrent writer got there first). */
export class VersionConflictError extends Error {
  constructor(
    readonly resourceType: string,
    readonly id: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`${resourceType}/${id} is at version ${actual}, not ${expected}`);
    this.name = 'VersionConflictError';
  }
}

/** Thrown when the database is busy or unreachable; the request may be retried. */
export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

export interface Store extends StoreReader {
  readonly dialect: 'sqlite' | 'postgres';
  readonly accounts: AccountStore;
  /** What hospital feeds sent (HL7 v2 messages, C-CDA documents), as received. */
  readonly feeds: FeedStore;
  readonly audit: AuditStore;
  /** Runs `fn` in one database transaction: all its writes commit together or none do. */
  transaction<T>(fn: (tx: StoreWriter) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding the named lock across servers (a session-level PostgreSQL advisory
   * lock, given back if the process dies): work that several servers starting at once must do
   * once, such as installing content. The embedded database is served by one process.
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Bulk path for imports: each group commits or rolls back alone (a failing group is reported, the
   * others are kept); groups share database transactions for speed.
   */
  writeGroups(groups: readonly (readonly VersionWrite[])[]): Promise<({ ok: true } | { ok: false; error: Error })[]>;
  /** Streams current resources (export, migration). */
  scan(query: ScanQuery): AsyncIterable<StoredVersion>;
  /** Streams every version of every resource of a type, oldest first (migration). */
  scanVersions(resourceType: string): AsyncIterable<StoredVersion>;
  /** Resource counts by type (current, not deleted). */
  countByType(): Promise<Record<string, number>>;
  /**
   * Before a bulk load: on an empty database, defers the search indexes (built once by
   * `restoreIndexes`); returns false, doing nothing, when the database holds resources.
   */
  deferIndexes(): Promise<boolean>;
  /** Builds deferred indexes and refreshes the planner's statistics (also done at open if needed). */
  restoreIndexes(): Promise<void>;
  /** Refreshes the query planner's statistics (after loading data the planner has not seen). */
  analyze(): Promise<void>;
  /** Makes every committed write durable (needed after a bulk load that deferred syncing). */
  flush(): Promise<void>;
  /** Consistent online copy into a new database file (SQLite) or equivalent. */
  backup(destination: string): Promise<void>;

  enqueueJob(job: { id: string; kind: string; payload: unknown; runAt?: number }): Promise<void>;
  /** Takes the next due job of a kind, marking it running; undefined when none is due. */
  claimJob(kinds: readonly string[], now: number): Promise<Job | undefined>;
  updateJob(id: string, update: JobUpdate): Promise<void>;
  getJob(id: string): Promise<Job | undefined>;
  deleteJob(id: string): Promise<void>;

  close(): Promise<void>;
}
