// Writes audit entries, many requests' at a time: whatever was recorded while the previous batch
// was being stored goes to the store together, and each request waits for its own entry to be
// stored (on disk). One batch at a time measured faster than overlapping batches (fewer, larger
// commits and syncs). If storing fails, every waiting request learns it and answers with an error
// instead of its data (fail closed).
import type { AuditEntry, AuditStore } from '../../store/audit-store.js';

export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
}

interface Waiting {
  readonly entry: AuditEntry;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

export function createAuditTrail(audit: AuditStore): AuditTrail {
  let queue: Waiting[] = [];
  let flushing = false;

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await audit.append(batch.map((b) => b.entry));
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    flushing = false;
  }

  return {
    record: (entry) =>
      new Promise<void>((resolve, reject) => {
        queue.push({ entry, resolve, reject });
        if (!flushing) {
          flushing = true;
          setImmediate(() => void flush());
        }
      }),
  };
}
