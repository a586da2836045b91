// The audit log: append-only and tamper-evident. Each entry carries the hash of the one before, so
// that altering or removing an entry breaks the chain (careloop audit verify). The database refuses
// UPDATE and DELETE on it (triggers); the chain catches what a database administrator could do anyway.

import { createHash } from 'node:crypto';

/** The previous hash of the first entry. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** hash = SHA-256(previous hash, sequence number, time, the entry as stored). */
export function auditHash(prevHash: string, seq: number, recorded: number, record: string): string {
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

export interface StoredAuditEntry {
  readonly seq: number;
  readonly entry: AuditEntry;
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditQuery {
  readonly patient?: string;
  readonly accountId?: string;
  readonly since?: number;
  readonly until?: number;
  readonly kind?: string;
  readonly count: number;
  readonly offset: number;
}

export interface AuditStore {
  /** Appends entries in order, chaining their hashes; all or none. */
  append(entries: readonly AuditEntry[]): Promise<void>;
  /** Newest first. */
  search(query: AuditQuery): Promise<{ entries: StoredAuditEntry[]; total: number }>;
  get(seq: number): Promise<StoredAuditEntry | undefined>;
  /** Copies entries of another log as they are (hashes kept), into an empty log: migration. */
  importEntries(entries: readonly StoredAuditEntry[]): Promise<void>;
  /** Every entry in order, for verification. */
  scan(): AsyncIterable<StoredAuditEntry>;
}
