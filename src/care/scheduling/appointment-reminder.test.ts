import { expect, it } from 'vitest';
import { appointmentReminders, describeWhen } from './appointment-reminder.js';

it.each([
  ['2026-12-01T09:30:00-05:00', 'Tuesday 1 December at 9:30 am'],
  ['2026-12-01T12:00:00-05:00', 'Tuesday 1 December at 12:00 pm'],
  ['2026-12-05T00:15:00+01:00', 'Saturday 5 December at 12:15 am'],
  ['2026-12-31T15:45:00Z', 'Thursday 31 December at 3:45 pm'],
])('%s reads "%s"', (iso, words) => {
  expect(describeWhen(iso)).toBe(words);
});

it('reminds each patient of a booked appointment, and nobody of a cancelled one', () => {
  const appointment = {
    resourceType: 'Appointment' as const,
    id: 'a1',
    status: 'booked' as const,
    start: '2026-12-01T09:30:00-05:00',
    description: 'Follow-up after your hospital stay',
    participant: [
      { actor: { reference: 'Patient/p' }, status: 'accepted' as const },
      { actor: { reference: 'Practitioner/d', display: 'Dr Samuel Reyes' }, status: 'accepted' as const },
    ],
  };
  const [message] = appointmentReminders(appointment, '2026-11-30T12:00:00Z');
  expect(message?.recipient).toEqual([{ reference: 'Patient/p' }]);
  expect(message?.payload?.[0]?.contentString).toBe(
    'Reminder: you have an appointment on Tuesday 1 December at 9:30 am with Dr Samuel Reyes (Follow-up after your hospital stay). If you cannot come, reply to this message or call your care coordinator so that we can find another time.',
  );
  expect(appointmentReminders({ ...appointment, status: 'cancelled' }, '2026-11-30T12:00:00Z')).toEqual([]);
});
