// The reminder a patient gets the day before an appointment, through the messaging channel (a
// Communication to the patient, category "reminder"), in plain words: when, with whom, where. The
// time is read as written in the appointment (its own offset), as the clinic booked it. Pure.
import type { Appointment, Communication } from '@medplum/fhirtypes';
import { REMINDER_CATEGORY } from '../messaging/reminder-category.js';
import { patientsOf } from './booking-rules.js';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "Tuesday 1 December at 9:30 am", from the ISO time as written. */
export function describeWhen(iso: string): string {
  const day = new Date(`${iso.slice(0, 10)}T12:00:00Z`);
  const hour = Number(iso.slice(11, 13));
  const minute = iso.slice(14, 16);
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${WEEKDAYS[day.getUTCDay()]} ${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]} at ${h12}:${minute} ${hour < 12 ? 'am' : 'pm'}`;
}

export function appointmentReminders(appointment: Appointment, sentAt: string): Communication[] {
  if (appointment.status !== 'booked' || !appointment.start) return [];
  const others = (appointment.participant ?? [])
    .map((p) => p.actor)
    .filter((a) => a && !a.reference?.startsWith('Patient/'))
    .map((a) => a?.display)
    .filter(Boolean);
  const text = [
    `Reminder: you have an appointment on ${describeWhen(appointment.start)}`,
    others.length ? ` with ${others.join(', ')}` : '',
    appointment.description ? ` (${appointment.description})` : '',
    '. If you cannot come, reply to this message or call your care coordinator so that we can find another time.',
  ].join('');
  return patientsOf(appointment).map((patient) => ({
    resourceType: 'Communication',
    status: 'completed',
    category: [REMINDER_CATEGORY],
    subject: { reference: `Patient/${patient}` },
    recipient: [{ reference: `Patient/${patient}` }],
    sender: { display: 'Careloop scheduling' },
    about: [{ reference: `Appointment/${appointment.id}` }],
    sent: sentAt,
    payload: [{ contentString: text }],
  }));
}
