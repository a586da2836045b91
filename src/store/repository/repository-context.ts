// What every repository operation is given: the clock and id source (passed in, never read from
// globals, so tests control them), and the hooks later layers attach to writes.
import type { Resource } from '@medplum/fhirtypes';
import { newResourceId } from '../ids/new-resource-id.js';
import type { StoreWriter } from '../store.js';

export interface WriteEvent {
  readonly interaction: 'create' | 'update' | 'patch' | 'delete';
  readonly resourceType: string;
  readonly id: string;
  /** The resource as written (undefined for a delete). */
  readonly resource: Resource | undefined;
  /** The version before this write, if any. */
  readonly previous: Resource | undefined;
}

/**
 * Runs inside the writing transaction after each write. A hook may write more resources through
 * `repo` (e.g. scoring a questionnaire response); if it throws, the whole transaction is rolled back.
 */
export type WriteHook = (event: WriteEvent, tx: StoreWriter, repo: TxRepository) => Promise<void>;

export interface RepositoryOptions {
  readonly now?: () => number;
  readonly newId?: () => string;
  readonly hooks?: readonly WriteHook[];
}

/** The write operations available inside a transaction (used by hooks and bundle processing). */
export interface TxRepository {
  create(resource: Resource): Promise<{ resource: Resource }>;
  update(resource: Resource & { id: string }): Promise<{ resource: Resource }>;
}

export interface RepositoryContext {
  readonly now: () => number;
  readonly newId: () => string;
  readonly hooks: readonly WriteHook[];
}

export function toContext(options: RepositoryOptions = {}): RepositoryContext {
  return {
    now: options.now ?? (() => Date.now()),
    newId: options.newId ?? (() => newResourceId()),
    hooks: options.hooks ?? [],
  };
}

/** `W/"3"`, `"3"` or `3` to 3; undefined when absent; a 400 when malformed. */
export function parseETag(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(value.trim());
  if (!m) return Number.NaN;
  return Number(m[1]);
}
