// The job runner on a real database: idle() resolves once every job claimable now has run (no
// waiting on a timer), including jobs queued after the runner started.
import { expect, it } from 'vitest';
import { freshJobStore } from '../../test/support/job-test-store.js';
import { startJobRunner } from './job-runner.js';

const fresh = freshJobStore();

it('idle() waits for every claimable job, then for none that is not yet due', async () => {
  const store = await fresh.open();
  const ran: string[] = [];
  const handlers = {
    count: async (job: { id: string }) => {
      ran.push(job.id);
      return { ok: true };
    },
  };
  for (const id of ['a', 'b', 'c']) await store.enqueueJob({ id, kind: 'count', payload: {} });
  // An interval far longer than the test: only idle() can make the late job run.
  const runner = startJobRunner(store, handlers, { intervalMs: 3_600_000 });
  await runner.idle();
  expect(ran.sort()).toEqual(['a', 'b', 'c']);
  await store.enqueueJob({ id: 'late', kind: 'count', payload: {} });
  await store.enqueueJob({ id: 'tomorrow', kind: 'count', payload: {}, runAt: Date.now() + 86_400_000 });
  await runner.idle();
  await runner.stop();
  expect(ran.sort()).toEqual(['a', 'b', 'c', 'late']);
  expect((await store.getJob('late'))?.status).toBe('completed');
  expect((await store.getJob('tomorrow'))?.status).toBe('queued');
});
