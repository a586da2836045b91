// A daily sweep as a durable job: each day's run has its own id (`kind:YYYY-MM-DD`), so however many
// servers start or restart, the day's sweep is queued and run once (the store's claim is atomic);
// each run queues the next day's before it ends. Days are the clinic's days (CARELOOP_TIMEZONE):
// a sweep for 2 December at 08:00 runs at 08:00 in the clinic, whatever the server's zone.
import { addDays } from '../care/calendar/calendar-days.js';
import type { ClinicClock } from '../care/calendar/clinic-clock.js';
import type { Store } from '../store/store.js';

export const dailyJobId = (kind: string, day: string): string => `${kind}:${day}`;

/** Queues the sweep of `day` (due at `hour`:00 clinic time that day), unless some server already did. */
export async function scheduleDailySweep(
  store: Store,
  clock: ClinicClock,
  kind: string,
  day: string,
  hour = 0,
): Promise<void> {
  const id = dailyJobId(kind, day);
  if (await store.getJob(id)) return;
  const runAt = clock.instantAt(day, hour);
  try {
    await store.enqueueJob({ id, kind, payload: { day }, runAt });
  } catch (err) {
    // Another server queued the same day between our look and our insert: that one will run.
    if (!(await store.getJob(id))) throw err;
  }
}

/** The day a sweep job ran for (its payload), else the clinic's today; and the day after it. */
export function sweepDays(payload: unknown, clock: ClinicClock): { day: string; next: string } {
  const day = (payload as { day?: string } | null)?.day ?? clock.today();
  return { day, next: addDays(day, 1) };
}
