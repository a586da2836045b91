// Writes audit entries, many requests' at a time: entries queue while one append is in flight and go
// together in the next, and each request waits for its own entry to be stored. If storing fails,
// every waiting request learns it and answers with an error instead of its data (fail closed).
import type { AuditEntry, AuditStore } from '../../store/audit-store.js';

export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
}

export function createAuditTrail(audit: AuditStore): AuditTrail {
  let queue: { entry: AuditEntry; resolve: () => void; reject: (err: unknown) => void }[] = [];
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
          // Wait for the rest of this turn of the event loop: the requests answered in it share one commit.
          flushing = true;
          setImmediate(() => void flush());
        }
      }),
  };
}
