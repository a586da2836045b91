// A daily sweep as a durable job: each day's run has its own id (`kind:YYYY-MM-DD`), so however many
// servers start or restart, the day's sweep is queued and run once (the store's claim is atomic);
// each run queues the next day's before it ends.
import type { Store } from '../store/store.js';

const DAY = 86_400_000;

export const dailyJobId = (kind: string, day: string): string => `${kind}:${day}`;

/** Queues the sweep of `day` (due at `hourUtc` that day), unless some server already did. */
export async function scheduleDailySweep(store: Store, kind: string, day: string, hourUtc = 0): Promise<void> {
  const id = dailyJobId(kind, day);
  if (await store.getJob(id)) return;
  const runAt = Date.parse(`${day}T00:00:00Z`) + hourUtc * 3_600_000;
  try {
    await store.enqueueJob({ id, kind, payload: { day }, runAt });
  } catch (err) {
    // Another server queued the same day between our look and our insert: that one will run.
    if (!(await store.getJob(id))) throw err;
  }
}

/** The day a sweep job ran for (its payload), else today; and the day after it. */
export function sweepDays(payload: unknown, now: number): { day: string; next: string } {
  const day = (payload as { day?: string } | null)?.day ?? new Date(now).toISOString().slice(0, 10);
  return { day, next: new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10) };
}
