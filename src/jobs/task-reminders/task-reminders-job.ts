// The daily worklist reminder sweep (a daily sweep job, ../daily-sweep.ts: once per day across servers
// and restarts): every owner of open tasks due today or overdue gets one reminder message listing
// them (src/care/worklist/task-reminders.ts). Sent at a set hour of the clinic's day (default 08:00),
// so that a server starting late in the day still reminds that day.
import type { Task } from '@medplum/fhirtypes';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { OPEN_TASK_STATUSES } from '../../care/worklist/order-worklist.js';
import { planTaskReminders, reminderCommunication } from '../../care/worklist/task-reminders.js';
import { searchEvery } from '../../store/read-every-page.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Store } from '../../store/store.js';
import { dailyJobId, scheduleDailySweep, sweepDays } from '../daily-sweep.js';
import type { JobHandler } from '../job-runner.js';

export const TASK_REMINDERS_JOB = 'task-reminders';
/** The hour of the clinic's day at which the daily reminders go out. */
export const DEFAULT_REMINDER_HOUR = 8;

export const reminderJobId = (day: string): string => dailyJobId(TASK_REMINDERS_JOB, day);

export const scheduleReminderSweep = (
  store: Store,
  clock: ClinicClock,
  day: string,
  hour = DEFAULT_REMINDER_HOUR,
): Promise<void> => scheduleDailySweep(store, clock, TASK_REMINDERS_JOB, day, hour);

export function taskRemindersHandler(options: { hour?: number; clock: ClinicClock }): JobHandler {
  const { clock } = options;
  return async (job, store) => {
    const repo = createFhirRepository(store, { now: clock.now });
    const { day, next } = sweepDays(job.payload, clock);
    const tasks = await searchEvery<Task>(repo, 'Task', [['status', OPEN_TASK_STATUSES.join(',')]]);
    const reminders = planTaskReminders(tasks, day);
    const sentAt = clock.nowIso();
    for (const reminder of reminders) await repo.create(reminderCommunication(reminder, day, sentAt));
    await scheduleReminderSweep(store, clock, next, options.hour);
    return { remindersSent: reminders.length };
  };
}
