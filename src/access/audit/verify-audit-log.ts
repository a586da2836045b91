// Walks the audit log and checks its keyed hash chain and its anchors: an entry altered, inserted or
// removed anywhere breaks the chain (and cannot be re-chained without the key), and entries removed
// from the end leave an anchor that points past the log's end or at a hash it no longer has.
// Entries written before the chain was keyed (unkeyed SHA-256) verify only as the log's first part.
import { AUDIT_GENESIS, type AuditStore, chainHash, legacyChainHash } from '../../store/audit-store.js';
import type { ParsedAnchor } from './audit-anchor.js';

export type AuditVerification =
  | {
      ok: true;
      entries: number;
      lastHash: string;
      /** Entries from before the chain was keyed (sealed by the first keyed entry after them). */
      unkeyed: number;
      /** Anchors checked. */
      anchors: number;
    }
  | { ok: false; entries: number; seq: number; problem: string };

export async function verifyAuditLog(
  audit: AuditStore,
  key: Buffer,
  anchors: readonly ParsedAnchor[] = [],
): Promise<AuditVerification> {
  let prev = AUDIT_GENESIS;
  let expectedSeq = 1;
  let entries = 0;
  let unkeyed = 0;
  let keyed = false;
  const hashes = new Map<number, string>();
  const anchored = new Set(anchors.flatMap((a) => (a.ok ? [a.anchor.seq] : [])));
  for await (const stored of audit.scan()) {
    if (stored.seq !== expectedSeq) {
      return { ok: false, entries, seq: expectedSeq, problem: `entry ${expectedSeq} is missing` };
    }
    if (stored.prevHash !== prev) {
      return {
        ok: false,
        entries,
        seq: stored.seq,
        problem: `entry ${stored.seq} does not follow the entry before it`,
      };
    }
    const record = JSON.stringify(stored.entry);
    if (stored.hash === chainHash(key, prev, stored.seq, stored.entry.recorded, record)) {
      keyed = true;
    } else if (!keyed && stored.hash === legacyChainHash(prev, stored.seq, stored.entry.recorded, record)) {
      unkeyed++;
    } else {
      return {
        ok: false,
        entries,
        seq: stored.seq,
        problem: `entry ${stored.seq} has been altered (or the log was written with another key)`,
      };
    }
    if (anchored.has(stored.seq)) hashes.set(stored.seq, stored.hash);
    prev = stored.hash;
    expectedSeq++;
    entries++;
  }
  for (const a of anchors) {
    if (!a.ok) return { ok: false, entries, seq: 0, problem: `anchor file: ${a.problem}` };
    const found = hashes.get(a.anchor.seq);
    if (found === undefined) {
      return {
        ok: false,
        entries,
        seq: a.anchor.seq,
        problem: `entries ${entries + 1} to ${a.anchor.seq} or more were removed: a checkpoint of ${a.anchor.at} recorded entry ${a.anchor.seq}, and the log ends at ${entries}`,
      };
    }
    if (found !== a.anchor.hash) {
      return {
        ok: false,
        entries,
        seq: a.anchor.seq,
        problem: `entry ${a.anchor.seq} is not the one checkpointed at ${a.anchor.at}: the log was rewritten`,
      };
    }
  }
  return { ok: true, entries, lastHash: prev, unkeyed, anchors: anchors.length };
}
