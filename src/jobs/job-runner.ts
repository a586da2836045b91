// Runs durable jobs stored in the database: each job is claimed by exactly one worker (the store's
// claim is atomic), run, and marked completed or failed. Jobs survive restarts: a queued job is
// picked up by the next process that starts.
import type { Job, Store } from '../store/store.js';

export type JobHandler = (job: Job, store: Store) => Promise<unknown>;

export interface JobRunner {
  /** Wakes the runner now (e.g. right after enqueueing). */
  poke(): void;
  /** Resolves after a whole pass that ran every job claimable now and found none left. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function startJobRunner(
  store: Store,
  handlers: Readonly<Record<string, JobHandler>>,
  options: { intervalMs?: number; now?: () => number } = {},
): JobRunner {
  const kinds = Object.keys(handlers);
  const interval = options.intervalMs ?? 1000;
  const now = options.now ?? (() => Date.now());
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function drain(): Promise<void> {
    while (!stopped) {
      const job = await store.claimJob(kinds, now());
      if (!job) return;
      const handler = handlers[job.kind];
      try {
        const result = handler ? await handler(job, store) : undefined;
        const current = await store.getJob(job.id);
        if (current?.status === 'running') await store.updateJob(job.id, { status: 'completed', result });
      } catch (err) {
        // A job cancelled while it ran stays cancelled, whatever its handler ran into afterwards.
        const current = await store.getJob(job.id);
        if (current?.status === 'running') {
          await store.updateJob(job.id, {
            status: 'failed',
            result: { error: err instanceof Error ? err.message : String(err) },
          });
        }
      }
    }
  }

  function tick(): void {
    if (stopped || running) return;
    running = drain()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
      });
  }

  timer = setInterval(tick, interval);
  timer.unref();
  tick();
  return {
    poke: tick,
    idle: async () => {
      // A pass already under way may have started before the caller's jobs were queued: wait for
      // it, then run one that starts now.
      await running;
      tick();
      await running;
    },
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
