// The audit log: append-only and tamper-evident. Each entry carries a keyed hash (HMAC-SHA256) of
// the one before it and of itself, so that altering, inserting or removing an entry breaks the chain,
// and nobody without the key — kept outside the database, derived from the server's secret — can
// rebuild a chain that verifies (careloop audit verify). The database refuses UPDATE and DELETE on
// it (triggers); the keyed chain catches what a database administrator could do anyway, and the
// anchor file (src/access/audit/audit-anchor.ts) catches entries removed from the end.

import { createHash, createHmac } from 'node:crypto';

/** The previous hash of the first entry. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** hash = HMAC-SHA256(key; previous hash, sequence number, time, the entry as stored). */
export function chainHash(key: Buffer, prevHash: string, seq: number, recorded: number, record: string): string {
  return createHmac('sha256', key).update(`${prevHash}\n${seq}\n${recorded}\n${record}`).digest('hex');
}

/**
 * The unkeyed SHA-256 chain of logs written before the chain was keyed. Such entries verify only as
 * a prefix of the log: the first keyed entry seals them (its HMAC covers the last one's hash).
 */
export function legacyChainHash(prevHash: string, seq: number, recorded: number, record: string): string {
  return createHash('sha256').update(`${prevHash}\n${seq}\n${recorded}\n${record}`).digest('hex');
}

/** One recorded access (what the FHIR AuditEvent for it says). */
export interface AuditEntry {
  /** Epoch milliseconds. */
  readonly recorded: number;
  /** rest | login | logout | login-failed | break-glass | export | token | password | mfa | admin */
  readonly kind: string;
  /** FHIR AuditEvent.action: C R U D E. */
  readonly action: 'C' | 'R' | 'U' | 'D' | 'E';
  /** HTTP status of the answer (outcome 0 success, 4 minor failure, 8 serious failure). */
  readonly status: number;
  readonly accountId?: string;
  readonly username?: string;
  readonly role?: string;
  /** The FHIR resource the user acts as (Practitioner/x, Patient/x, RelatedPerson/x). */
  readonly fhirUser?: string;
  readonly clientId?: string;
  /** The SMART app a user acted through (its client id is `clientId`). */
  readonly appName?: string;
  readonly address?: string;
  /** What was touched: `Patient/1`, `Observation` (a search), `$export`. */
  readonly entity?: string;
  /** The search query or operation parameters, as sent. */
  readonly query?: string;
  /** Whose records were disclosed or changed. */
  readonly patients: readonly string[];
  /** Access through an emergency grant. */
  readonly breakGlass?: boolean;
  readonly detail?: string;
}

/** Who an entry names (the report's "user"): the user name, or the client for a client of its own. */
export function agentNameOf(entry: Pick<AuditEntry, 'username' | 'clientId'>): string {
  return entry.username ?? (entry.clientId ? `client ${entry.clientId}` : '');
}

export interface StoredAuditEntry {
  readonly seq: number;
  readonly entry: AuditEntry;
  readonly prevHash: string;
  readonly hash: string;
}

/** What the audit report sorts by: time, user name, patient, action, outcome (HTTP status). */
export type AuditSortKey = 'date' | 'user' | 'patient' | 'action' | 'outcome';

export interface AuditQuery {
  readonly patient?: string;
  readonly accountId?: string;
  /** The user or client name. */
  readonly username?: string;
  readonly action?: AuditEntry['action'];
  /** Entries whose HTTP status is in [low, high]. */
  readonly status?: { readonly low: number; readonly high: number };
  readonly since?: number;
  readonly until?: number;
  readonly kind?: string;
  /** Sort keys in order; default newest first. */
  readonly sort?: readonly { readonly key: AuditSortKey; readonly descending: boolean }[];
  readonly count: number;
  readonly offset: number;
}

export interface AuditStore {
  /**
   * The key the chain's hashes are made with (from the server's secret). Until it is set, appends
   * fail: nothing is recorded unsealed.
   */
  setChainKey(key: Buffer): void;
  /** Appends entries in order, chaining their hashes; all or none. */
  append(entries: readonly AuditEntry[]): Promise<void>;
  /** The last entry's sequence number and hash (undefined for an empty log). */
  head(): Promise<{ readonly seq: number; readonly hash: string } | undefined>;
  /** Newest first. */
  search(query: AuditQuery): Promise<{ entries: StoredAuditEntry[]; total: number }>;
  get(seq: number): Promise<StoredAuditEntry | undefined>;
  /** Copies entries of another log as they are (hashes kept), into an empty log: migration. */
  importEntries(entries: readonly StoredAuditEntry[]): Promise<void>;
  /** Every entry in order, for verification. */
  scan(): AsyncIterable<StoredAuditEntry>;
}
