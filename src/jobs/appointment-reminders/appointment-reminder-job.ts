// The daily appointment reminder sweep (a daily sweep job, ../daily-sweep.ts: once per day across
// servers and restarts), at the reminder hour: each patient with a booked appointment the next day
// gets a reminder message (src/care/scheduling/appointment-reminder.ts).
import type { Appointment } from '@medplum/fhirtypes';
import { appointmentReminders } from '../../care/scheduling/appointment-reminder.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Store } from '../../store/store.js';
import { dailyJobId, scheduleDailySweep, sweepDays } from '../daily-sweep.js';
import type { JobHandler } from '../job-runner.js';

export const APPOINTMENT_REMINDERS_JOB = 'appointment-reminders';

export const appointmentReminderJobId = (day: string): string => dailyJobId(APPOINTMENT_REMINDERS_JOB, day);

export const scheduleAppointmentReminders = (store: Store, day: string, hourUtc: number): Promise<void> =>
  scheduleDailySweep(store, APPOINTMENT_REMINDERS_JOB, day, hourUtc);

export function appointmentRemindersHandler(options: { hourUtc: number; now?: () => number }): JobHandler {
  const now = options.now ?? (() => Date.now());
  return async (job, store) => {
    const repo = createFhirRepository(store, { now });
    const { next } = sweepDays(job.payload, now());
    const dayAfter = sweepDays({ day: next }, now()).next;
    // Appointments on the next calendar day (the day's bounds in UTC, as FHIR date search reads them).
    const { page } = await repo.search('Appointment', [
      ['status', 'booked'],
      ['date', `ge${next}`],
      ['date', `lt${dayAfter}`],
      ['_count', '1000'],
    ]);
    const sentAt = new Date(now()).toISOString();
    let sent = 0;
    for (const m of page.matches) {
      if (!m.json) continue;
      for (const message of appointmentReminders(JSON.parse(m.json) as Appointment, sentAt)) {
        await repo.create(message);
        sent++;
      }
    }
    await scheduleAppointmentReminders(store, next, options.hourUtc);
    return { remindersSent: sent };
  };
}
