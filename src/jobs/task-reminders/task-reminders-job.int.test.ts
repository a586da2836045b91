// The daily worklist reminder runs once per day across two runners and a restart, and sends each
// owner one message about their due and overdue tasks.
import type { Communication, Task } from '@medplum/fhirtypes';
import { afterEach, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { openStore } from '../../store/open-store.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Store } from '../../store/store.js';
import { startJobRunner } from '../job-runner.js';
import {
  reminderJobId,
  scheduleReminderSweep,
  TASK_REMINDERS_JOB,
  taskRemindersHandler,
} from './task-reminders-job.js';

let database: TestDatabase | undefined;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  await database?.drop();
});

const waitFor = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
};

it('reminds each owner once a day of what is due and overdue', async () => {
  database = await createTestDatabase();
  store = await openStore(database.url);
  const s = store;
  const repo = createFhirRepository(s);
  const today = new Date().toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
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

  // Two servers schedule the day (the hour is now, so it runs at once) and both run jobs.
  const hour = new Date().getUTCHours();
  await scheduleReminderSweep(s, today, hour);
  await scheduleReminderSweep(s, today, hour);
  const handlers = { [TASK_REMINDERS_JOB]: taskRemindersHandler({ hourUtc: hour }) };
  const a = startJobRunner(s, handlers, { intervalMs: 20 });
  const b = startJobRunner(s, handlers, { intervalMs: 20 });
  await waitFor(async () => (await s.getJob(reminderJobId(today)))?.status === 'completed');
  await a.stop();
  await b.stop();
  expect((await s.getJob(reminderJobId(today)))?.result).toEqual({ remindersSent: 1 });

  // A restart the same day sends nothing more.
  await scheduleReminderSweep(s, today, hour);
  const c = startJobRunner(s, handlers, { intervalMs: 20 });
  await new Promise((r) => setTimeout(r, 200));
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
  expect(next?.runAt).toBe(Date.parse(`${tomorrow}T00:00:00Z`) + hour * 3_600_000);
});
