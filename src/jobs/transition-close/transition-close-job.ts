// The daily transition sweep (a daily sweep job, ../daily-sweep.ts: once per day across servers
// and restarts): every transition episode 30 days past its discharge is closed with its outcome —
// readmitted within 30 days (a new admission was linked to it) or not.
import type { EpisodeOfCare } from '@medplum/fhirtypes';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { closedEpisode, EPISODE_TYPE } from '../../care/transitions/episode-resources.js';
import { searchEvery } from '../../store/read-every-page.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Store } from '../../store/store.js';
import { dailyJobId, scheduleDailySweep, sweepDays } from '../daily-sweep.js';
import type { JobHandler } from '../job-runner.js';

export const TRANSITION_CLOSE_JOB = 'transition-close';
export const transitionCloseJobId = (day: string): string => dailyJobId(TRANSITION_CLOSE_JOB, day);
export const scheduleTransitionClose = (store: Store, clock: ClinicClock, day: string): Promise<void> =>
  scheduleDailySweep(store, clock, TRANSITION_CLOSE_JOB, day);

export function transitionCloseHandler(options: { clock: ClinicClock }): JobHandler {
  const { clock } = options;
  return async (job, store) => {
    const repo = createFhirRepository(store, { now: clock.now });
    const { day, next } = sweepDays(job.payload, clock);
    const episodes = await searchEvery<EpisodeOfCare & { id: string }>(repo, 'EpisodeOfCare', [
      ['type', `${EPISODE_TYPE.system}|${EPISODE_TYPE.code}`],
      ['status', 'active'],
    ]);
    let closed = 0;
    for (const episode of episodes) {
      const done = closedEpisode(episode, day);
      if (done) {
        await repo.update('EpisodeOfCare', episode.id, done);
        closed++;
      }
    }
    await scheduleTransitionClose(store, clock, next);
    return { closed };
  };
}
