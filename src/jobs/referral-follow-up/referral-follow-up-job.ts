// The daily referral sweep (a daily sweep job, ../daily-sweep.ts: once per day across servers and
// restarts): every open referral that has waited in its state longer than its priority allows
// (content/referrals/referral-timeliness.json) raises one follow-up task for the patient's care
// coordinator (else the referral's requester), until that task is done.
import type { Task } from '@medplum/fhirtypes';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { careCoordinatorOf } from '../../care/careteam/team-roles.js';
import { referralFollowUpTask } from '../../care/referrals/referral-follow-up.js';
import { describeLateReferral, lateReferral, statusSince } from '../../care/referrals/referral-timeliness.js';
import { isReferralTask, OPEN_REFERRAL_STATES, TASK_CODE_SYSTEM } from '../../care/referrals/referral-workflow.js';
import { TASK_TYPE_SYSTEM } from '../../care/worklist/follow-up-task.js';
import { OPEN_TASK_STATUSES } from '../../care/worklist/order-worklist.js';
import { careReaderOf, historyOfEach, searchEvery } from '../../store/read-every-page.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Store } from '../../store/store.js';
import { dailyJobId, scheduleDailySweep, sweepDays } from '../daily-sweep.js';
import type { JobHandler } from '../job-runner.js';

export const REFERRAL_FOLLOW_UP_JOB = 'referral-follow-up';

export const referralSweepId = (day: string): string => dailyJobId(REFERRAL_FOLLOW_UP_JOB, day);

export const scheduleReferralSweep = (store: Store, clock: ClinicClock, day: string): Promise<void> =>
  scheduleDailySweep(store, clock, REFERRAL_FOLLOW_UP_JOB, day);

export function referralFollowUpHandler(options: { clock: ClinicClock }): JobHandler {
  const { clock } = options;
  const now = clock.now;
  return async (job, store) => {
    const repo = createFhirRepository(store, { now });
    const all = (query: [string, string][]): Promise<Task[]> => searchEvery<Task>(repo, 'Task', query);
    const referrals = (
      await all([
        ['code', `${TASK_CODE_SYSTEM}|fulfill`],
        ['status', OPEN_REFERRAL_STATES.join(',')],
      ])
    ).filter(isReferralTask);
    const followUps = await all([
      ['code', `${TASK_TYPE_SYSTEM}|referral-follow-up`],
      ['status', OPEN_TASK_STATUSES.join(',')],
    ]);
    const followed = new Set(followUps.map((t) => t.focus?.reference));
    const at = clock.nowIso();
    let raised = 0;
    const unfollowed = referrals.filter((task) => !followed.has(`Task/${task.id}`));
    const histories = await historyOfEach(
      repo,
      'Task',
      unfollowed.map((task) => task.id as string),
    );
    for (const task of unfollowed) {
      const history = histories.get(task.id as string) ?? [];
      const versions = history.filter((v) => v.json).map((v) => JSON.parse(v.json as string) as Task);
      const since = statusSince(versions);
      const late = since ? lateReferral(task, since, now()) : undefined;
      if (!late) continue;
      const patient = task.for?.reference;
      const coordinator = patient?.startsWith('Patient/')
        ? await careCoordinatorOf(careReaderOf(repo), patient.slice(8))
        : undefined;
      await repo.create(
        referralFollowUpTask({ task, coordinator, description: describeLateReferral(late), at, today: clock.today() }),
      );
      raised++;
    }
    await scheduleReferralSweep(store, clock, sweepDays(job.payload, clock).next);
    return { followUpsRaised: raised };
  };
}
