// The daily worklist reminder sweep (a daily sweep job, ../daily-sweep.ts: once per day across servers
// and restarts): every owner of open tasks due today or overdue gets one reminder message listing
// them (src/care/worklist/task-reminders.ts). Sent at a set hour (default 12:00 UTC, early morning
// in the United States), so that a server starting late in the day still reminds that day.
import type { Task } from '@medplum/fhirtypes';
import { OPEN_TASK_STATUSES } from '../../care/worklist/order-worklist.js';
import { planTaskReminders, reminderCommunication } from '../../care/worklist/task-reminders.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Store } from '../../store/store.js';
import { dailyJobId, scheduleDailySweep, sweepDays } from '../daily-sweep.js';
import type { JobHandler } from '../job-runner.js';

export const TASK_REMINDERS_JOB = 'task-reminders';
export const DEFAULT_REMINDER_HOUR_UTC = 12;

export const reminderJobId = (day: string): string => dailyJobId(TASK_REMINDERS_JOB, day);

export const scheduleReminderSweep = (store: Store, day: string, hourUtc = DEFAULT_REMINDER_HOUR_UTC): Promise<void> =>
  scheduleDailySweep(store, TASK_REMINDERS_JOB, day, hourUtc);

/** Open tasks read per page; the sweep pages through them all. */
const PAGE = 1000;

export function taskRemindersHandler(options: { hourUtc?: number; now?: () => number } = {}): JobHandler {
  const now = options.now ?? (() => Date.now());
  return async (job, store) => {
    const repo = createFhirRepository(store, { now });
    const { day, next } = sweepDays(job.payload, now());
    const tasks: Task[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const { page } = await repo.search('Task', [
        ['status', OPEN_TASK_STATUSES.join(',')],
        ['_count', String(PAGE)],
        ['_offset', String(offset)],
      ]);
      for (const m of page.matches) if (m.json) tasks.push(JSON.parse(m.json) as Task);
      if (page.matches.length < PAGE) break;
    }
    const reminders = planTaskReminders(tasks, day);
    const sentAt = new Date(now()).toISOString();
    for (const reminder of reminders) await repo.create(reminderCommunication(reminder, day, sentAt));
    await scheduleReminderSweep(store, next, options.hourUtc);
    return { remindersSent: reminders.length };
  };
}
