// Walks the audit log and checks its hash chain: an entry altered, inserted or removed anywhere
// breaks it. (Removing entries from the very end cannot be told from a log that ended there; the
// last hash printed by `careloop audit verify` is worth keeping elsewhere for that reason.)
import { AUDIT_GENESIS, type AuditStore, auditHash } from '../../store/audit-store.js';

export type AuditVerification =
  | { ok: true; entries: number; lastHash: string }
  | { ok: false; entries: number; seq: number; problem: string };

export async function verifyAuditLog(audit: AuditStore): Promise<AuditVerification> {
  let prev = AUDIT_GENESIS;
  let expectedSeq = 1;
  let entries = 0;
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
    const hash = auditHash(prev, stored.seq, stored.entry.recorded, JSON.stringify(stored.entry));
    if (hash !== stored.hash) {
      return { ok: false, entries, seq: stored.seq, problem: `entry ${stored.seq} has been altered` };
    }
    prev = stored.hash;
    expectedSeq++;
    entries++;
  }
  return { ok: true, entries, lastHash: prev };
}
