// The daily appointment reminder sweep (a daily sweep job, ../daily-sweep.ts: once per day across
// servers and restarts), at the reminder hour: each patient with a booked appointment the next day
// gets a reminder message (src/care/scheduling/appointment-reminder.ts).
import type { Appointment } from '@medplum/fhirtypes';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { appointmentReminders } from '../../care/scheduling/appointment-reminder.js';
import { searchEvery } from '../../store/read-every-page.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Store } from '../../store/store.js';
import { dailyJobId, scheduleDailySweep, sweepDays } from '../daily-sweep.js';
import type { JobHandler } from '../job-runner.js';

export const APPOINTMENT_REMINDERS_JOB = 'appointment-reminders';

export const appointmentReminderJobId = (day: string): string => dailyJobId(APPOINTMENT_REMINDERS_JOB, day);

export const scheduleAppointmentReminders = (
  store: Store,
  clock: ClinicClock,
  day: string,
  hour: number,
): Promise<void> => scheduleDailySweep(store, clock, APPOINTMENT_REMINDERS_JOB, day, hour);

export function appointmentRemindersHandler(options: { hour: number; clock: ClinicClock }): JobHandler {
  const { clock } = options;
  return async (job, store) => {
    const repo = createFhirRepository(store, { now: clock.now });
    const { next } = sweepDays(job.payload, clock);
    const dayAfter = sweepDays({ day: next }, clock).next;
    // Appointments on the clinic's next day: from its midnight to the next, as instants.
    const appointments = await searchEvery<Appointment>(repo, 'Appointment', [
      ['status', 'booked'],
      ['date', `ge${new Date(clock.instantAt(next)).toISOString()}`],
      ['date', `lt${new Date(clock.instantAt(dayAfter)).toISOString()}`],
    ]);
    const sentAt = clock.nowIso();
    let sent = 0;
    for (const appointment of appointments) {
      for (const message of appointmentReminders(appointment, sentAt)) {
        await repo.create(message);
        sent++;
      }
    }
    await scheduleAppointmentReminders(store, clock, next, options.hour);
    return { remindersSent: sent };
  };
}
