// What every repository operation is given: the clock and id source (passed in, never read from
// globals, so tests control them), and the hooks later layers attach to writes.
import type { Resource } from '@medplum/fhirtypes';
import type { AccessFilter } from '../../fhir/search/search-request.js';
import { newResourceId } from '../ids/new-resource-id.js';
import type { StoredVersion, StoreReader, StoreWriter } from '../store.js';

export interface WriteEvent {
  readonly interaction: 'create' | 'update' | 'patch' | 'delete';
  readonly resourceType: string;
  readonly id: string;
  /** The resource as written (undefined for a delete). */
  readonly resource: Resource | undefined;
  /** The version before this write, if any. */
  readonly previous: Resource | undefined;
  /** The patients whose compartments hold the resource as written (for a delete: as it was). */
  readonly compartments: readonly string[];
  /** Who asked for the write (absent for the domain's own follow-up writes and for system loads). */
  readonly agent?: WriteAgent;
}

/** The person or system a write is made for, as Provenance names them. */
export interface WriteAgent {
  /** Their FHIR resource (Practitioner/x, Patient/x, RelatedPerson/x), when they have one. */
  readonly who: string | undefined;
  readonly name: string;
  /** The role they acted in (coordinator, physician, patient, ...). */
  readonly role: string;
  /** The account or backend client behind the request, and the scope its token carried. */
  readonly account?: { readonly kind: 'user' | 'client'; readonly id: string; readonly scope: string };
}

/** What a hook reads with, inside the writing transaction (it sees that transaction's own writes). */
export interface HookReader {
  /** Every match of a search, however many. */
  searchEvery<T>(type: string, query: readonly [string, string][]): Promise<T[]>;
  /** Whether a search has any match (reads one row, not every match). */
  anyMatch(type: string, query: readonly [string, string][]): Promise<boolean>;
  /** The current version of a resource, or undefined when there is none (or it was deleted). */
  readCurrent<T>(type: string, id: string): Promise<T | undefined>;
  /** Holds a named lock until the transaction ends (serializes a check-then-write across servers). */
  lock(name: string): Promise<void>;
}

/**
 * Runs inside the writing transaction after each write of its resource type. A hook may write more
 * resources through `repo` (e.g. scoring a questionnaire response); those writes are writes like any
 * other and run the hooks again, so a hook ignores the events it causes (or stops on a condition).
 * If a hook throws, the whole transaction is rolled back.
 */
export type WriteHook = (event: WriteEvent, reader: HookReader, repo: TxRepository) => Promise<void>;

/**
 * The hooks by the resource type whose writes they follow; `*` for every type (run after the
 * type's own). One table, registered where the server is assembled.
 */
export type HookTable = Readonly<Record<string, readonly WriteHook[]>>;

export interface RepositoryOptions {
  readonly now?: () => number;
  readonly newId?: () => string;
  readonly hooks?: HookTable;
  /** Called after each write transaction commits, with what it wrote (e.g. to drop cached decisions). */
  readonly onCommit?: (events: readonly WriteEvent[]) => void;
}

/** The SMART interactions a scope grants: c(reate) r(ead) u(pdate) d(elete) s(earch). */
export type Interaction = 'c' | 'r' | 'u' | 'd' | 's';

/** A write about to happen, for the access guard to allow or refuse. */
export interface WriteCheck {
  readonly interaction: WriteEvent['interaction'];
  readonly resourceType: string;
  readonly id: string;
  /** The resource as it would be written; undefined for a delete. */
  readonly resource: Resource | undefined;
  /** The patients whose compartments would hold it. */
  readonly compartments: readonly string[];
  /** The current stored version (possibly a deletion), if the resource exists. */
  readonly previous: StoredVersion | undefined;
}

/**
 * What a repository view enforces for one requester. The repository applies it under every
 * interaction (reads, searches and their includes, history, $everything, bundles, conditional
 * writes); src/access decides what it says.
 */
export interface AccessGuard {
  /** The rows the requester may see. */
  readonly filter: AccessFilter;
  /** Throws (403) when the requester may not perform `interaction` on `resourceType` at all. */
  assertInteraction(resourceType: string, interaction: Interaction): void;
  /** Throws when the write is not allowed; runs inside the transaction, before anything is written. */
  checkWrite(check: WriteCheck, tx: StoreReader): Promise<void>;
  /** Runs last inside each write transaction that wrote something (the audit entry that commits with it). */
  beforeCommit(events: readonly WriteEvent[], tx: StoreWriter): Promise<void>;
  /** Every stored version a response discloses (for the audit log). */
  disclose(versions: readonly StoredVersion[]): void;
  /** Who the requester is, for the Provenance of what they write. */
  readonly agent?: WriteAgent;
}

/** The write operations available inside a transaction (used by hooks and bundle processing). */
export interface TxRepository {
  create(resource: Resource): Promise<{ resource: Resource }>;
  update(resource: Resource & { id: string }): Promise<{ resource: Resource }>;
}

export interface RepositoryContext {
  readonly now: () => number;
  readonly newId: () => string;
  readonly hooks: HookTable;
  /** Present for a requester's writes; absent for the domain's own follow-up writes (hooks). */
  readonly guard?: AccessGuard | undefined;
  /** The writes of the current transaction, in order. */
  readonly written?: WriteEvent[];
}

/** Runs `fn` in one write transaction, giving it that transaction's context. */
export type Transact = <T>(fn: (tx: StoreWriter, ctx: RepositoryContext) => Promise<T>) => Promise<T>;

export function toContext(options: RepositoryOptions = {}): RepositoryContext {
  return {
    now: options.now ?? (() => Date.now()),
    newId: options.newId ?? (() => newResourceId()),
    hooks: options.hooks ?? {},
  };
}

/** `W/"3"`, `"3"` or `3` to 3; undefined when absent; a 400 when malformed. */
export function parseETag(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(value.trim());
  if (!m) return Number.NaN;
  return Number(m[1]);
}
