// The daily worklist reminder runs once per day across two runners and a restart, and sends each
// owner one message about their due and overdue tasks.
import type { Communication, Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { freshJobStore, waitFor } from '../../../test/support/job-test-store.js';
import { addDays } from '../../care/calendar/calendar-days.js';
import { createClinicClock } from '../../care/calendar/clinic-clock.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import { startJobRunner } from '../job-runner.js';
import {
  reminderJobId,
  scheduleReminderSweep,
  TASK_REMINDERS_JOB,
  taskRemindersHandler,
} from './task-reminders-job.js';

const jobStore = freshJobStore();

it('reminds each owner once a day of what is due and overdue', async () => {
  const store = await jobStore.open();
  const s = store;
  const repo = createFhirRepository(s);
  // A clinic far from UTC: its today, not the UTC date, decides what is due.
  const clock = createClinicClock('Pacific/Honolulu');
  const today = clock.today();
  const yesterday = addDays(today, -1);
  const tomorrow = addDays(today, 1);
  const task = (owner: string, due: string, description: string): Task => ({
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    description,
    owner: { reference: owner },
    restriction: { period: { end: due } },
  });
  await repo.create(task('Practitioner/c1', yesterday, 'Call the patient back'));
  await repo.create(task('Practitioner/c1', today, 'Send the referral'));
  await repo.create(task('Practitioner/c1', tomorrow, 'Not yet'));
  await repo.create(task('Practitioner/p1', tomorrow, 'Nothing due for this owner'));

  // Two servers schedule the day (at the clinic's midnight, past, so it runs at once) and both run jobs.
  const hour = 0;
  await scheduleReminderSweep(s, clock, today, hour);
  await scheduleReminderSweep(s, clock, today, hour);
  const handlers = { [TASK_REMINDERS_JOB]: taskRemindersHandler({ hour, clock }) };
  const a = startJobRunner(s, handlers, { intervalMs: 20 });
  const b = startJobRunner(s, handlers, { intervalMs: 20 });
  await waitFor(async () => (await s.getJob(reminderJobId(today)))?.status === 'completed');
  await a.stop();
  await b.stop();
  expect((await s.getJob(reminderJobId(today)))?.result).toEqual({ remindersSent: 1 });

  // A restart the same day sends nothing more.
  await scheduleReminderSweep(s, clock, today, hour);
  const c = startJobRunner(s, handlers, { intervalMs: 20 });
  await c.idle();
  await c.stop();

  const { page } = await repo.search('Communication', [['recipient', 'Practitioner/c1']]);
  const messages = page.matches.map((m) => JSON.parse(m.json as string) as Communication);
  expect(messages).toHaveLength(1);
  const text = messages[0]?.payload?.[0]?.contentString ?? '';
  expect(text).toContain('1 overdue, 1 due today');
  expect(text).toContain('Call the patient back');
  expect(text).not.toContain('Not yet');
  expect((await repo.search('Communication', [['recipient', 'Practitioner/p1']])).page.matches).toHaveLength(0);
  // Tomorrow's reminder is queued, at the same hour.
  const next = await s.getJob(reminderJobId(tomorrow));
  expect(next?.status).toBe('queued');
  // Tomorrow's sweep at the clinic's midnight (Honolulu is 10 h behind UTC).
  expect(next?.runAt).toBe(Date.parse(`${tomorrow}T10:00:00Z`));
});
