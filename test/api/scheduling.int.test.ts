// Scheduling over HTTP: free slots ranked for the patient (a clinician who speaks her language, at
// the times she likes), booking that takes the slot, double booking refused with 409 (of two
// bookings of one slot at once, one wins), reschedule and cancel giving slots back, a no-show
// raising a follow-up, and the day-before reminder reaching the patient as a message.
import type { Appointment, Bundle, Communication, Slot, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays } from '../../src/care/calendar/calendar-days.js';
import { appointmentRemindersHandler } from '../../src/jobs/appointment-reminders/appointment-reminder-job.js';
import { HAROLD, ROSA, startDemoServer, tokenOf } from '../security/demo-server.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

let server: TestServer;
const as: Record<string, Record<string, string>> = {};
beforeAll(async () => {
  server = await startDemoServer();
  for (const user of ['coordinator', 'caregiver']) as[user] = bearer(await tokenOf(server, user));
});
afterAll(async () => {
  await server?.close();
});

const matches = (b: Bundle) => (b.entry ?? []).filter((e) => e.search?.mode === 'match');
const slotOf = async (id: string) =>
  (await http<Slot>('GET', `${server.fhir}/Slot/${id}`, undefined, as.coordinator)).body;

const appointment = (patient: string, slot: Slot, extra: Partial<Appointment> = {}): Appointment => ({
  resourceType: 'Appointment',
  status: 'booked',
  description: 'Follow-up visit',
  start: slot.start,
  end: slot.end,
  ...(slot.id ? { slot: [{ reference: `Slot/${slot.id}` }] } : {}),
  participant: [
    { actor: { reference: `Patient/${patient}` }, status: 'accepted' },
    { actor: { reference: 'Practitioner/demo-pcp', display: 'Samuel Reyes, MD' }, status: 'accepted' },
  ],
  ...extra,
});

async function freeSlots(query = ''): Promise<Slot[]> {
  const res = await http<Bundle>('GET', `${server.fhir}/Slot/$find?${query}`, undefined, as.coordinator);
  expect(res.status, res.text).toBe(200);
  return matches(res.body).map((e) => e.resource as Slot);
}

it('free slots for Rosa: the Spanish-speaking physician, in the afternoon she prefers, soonest first', async () => {
  const res = await http<Bundle>('GET', `${server.fhir}/Slot/$find?patient=${ROSA}`, undefined, as.coordinator);
  const [first] = matches(res.body);
  expect(first?.search?.extension?.[0]?.valueString).toBe('speaks Spanish; suits "Afternoons, after 1"');
  const slot = first?.resource as Slot;
  expect(slot.schedule.reference).toBe('Schedule/demo-pcp-schedule');
  expect(Number(slot.start.slice(11, 13))).toBeGreaterThanOrEqual(13);
  const cardiology = await freeSlots('practitioner=Practitioner/demo-cardiologist');
  expect(cardiology.length).toBeGreaterThan(0);
  expect(cardiology.every((s) => s.schedule.reference === 'Schedule/demo-cardiologist-schedule')).toBe(true);
  expect((await http('GET', `${server.fhir}/Slot/$find?colour=blue`, undefined, as.coordinator)).status).toBe(400);
});

it('booking takes the slot; a second booking of it is refused with 409', async () => {
  const [slot] = await freeSlots('practitioner=Practitioner/demo-pcp');
  if (!slot) throw new Error('no slot');
  const booked = await http<Appointment>('POST', `${server.fhir}/Appointment`, appointment(ROSA, slot), as.coordinator);
  expect(booked.status, booked.text).toBe(201);
  expect((await slotOf(slot.id as string)).status).toBe('busy');
  const again = await http('POST', `${server.fhir}/Appointment`, appointment(HAROLD, slot), as.coordinator);
  expect(again.status).toBe(409);
  expect((await freeSlots('practitioner=Practitioner/demo-pcp')).map((s) => s.id)).not.toContain(slot.id);
});

it('two bookings of one slot at once: one wins, one gets 409', async () => {
  const slot = (await freeSlots('practitioner=Practitioner/demo-cardiologist'))[3] as Slot;
  const [a, b] = await Promise.all([
    http('POST', `${server.fhir}/Appointment`, appointment(HAROLD, slot), as.coordinator),
    http('POST', `${server.fhir}/Appointment`, appointment(ROSA, slot), as.coordinator),
  ]);
  expect([a.status, b.status].sort()).toEqual([201, 409]);
});

it('a patient cannot be booked twice at the same time; reschedule and cancel give slots back; a no-show raises a follow-up', async () => {
  // Slots some days out, clear of the earlier tests' bookings.
  const pcp = (await freeSlots('practitioner=Practitioner/demo-pcp')).slice(24);
  const cardio = await freeSlots('practitioner=Practitioner/demo-cardiologist');
  const slot = pcp[1] as Slot;
  const sameTime = cardio.find((s) => Date.parse(s.start) === Date.parse(slot.start)) as Slot;
  const first = await http<Appointment>(
    'POST',
    `${server.fhir}/Appointment`,
    appointment(HAROLD, slot),
    as.coordinator,
  );
  expect(first.status, first.text).toBe(201);
  const clash = await http('POST', `${server.fhir}/Appointment`, appointment(HAROLD, sameTime), as.coordinator);
  expect(clash.status).toBe(409);
  expect(clash.text).toContain('already has an appointment');
  expect((await slotOf(sameTime.id as string)).status).toBe('free');

  // Reschedule to another slot: the old one is free again, the new one busy.
  const later = pcp[2] as Slot;
  const moved = await http<Appointment>(
    'PUT',
    `${server.fhir}/Appointment/${first.body.id}`,
    { ...first.body, start: later.start, end: later.end, slot: [{ reference: `Slot/${later.id}` }] },
    as.coordinator,
  );
  expect(moved.status, moved.text).toBe(200);
  expect((await slotOf(slot.id as string)).status).toBe('free');
  expect((await slotOf(later.id as string)).status).toBe('busy');

  const noShow = await http<Appointment>(
    'PUT',
    `${server.fhir}/Appointment/${first.body.id}`,
    { ...moved.body, status: 'noshow' },
    as.coordinator,
  );
  expect(noShow.status).toBe(200);
  const followUps = await http<Bundle>(
    'GET',
    `${server.fhir}/Task?focus=Appointment/${first.body.id}`,
    undefined,
    as.coordinator,
  );
  const [task] = (followUps.body.entry ?? []).map((e) => e.resource as Task);
  expect(task).toMatchObject({ owner: { reference: 'Practitioner/demo-coordinator' }, status: 'requested' });
  expect(task?.description).toMatch(/^Missed appointment/);

  const other = await http<Appointment>(
    'POST',
    `${server.fhir}/Appointment`,
    appointment(HAROLD, pcp[4] as Slot),
    as.coordinator,
  );
  const cancelled = await http(
    'PUT',
    `${server.fhir}/Appointment/${other.body.id}`,
    { ...other.body, status: 'cancelled' },
    as.coordinator,
  );
  expect(cancelled.status).toBe(200);
  expect((await slotOf((pcp[4] as Slot).id as string)).status).toBe('free');
});

it('the day before, the patient is reminded through the messaging channel', async () => {
  const tomorrow = addDays(server.clock.today(), 1);
  const slot: Slot = {
    resourceType: 'Slot',
    schedule: { reference: 'Schedule/demo-pcp-schedule' },
    status: 'free',
    start: server.clock.wallClock(tomorrow, '10:00'),
    end: server.clock.wallClock(tomorrow, '10:30'),
  };
  const created = await http<Appointment>(
    'POST',
    `${server.fhir}/Appointment`,
    appointment(ROSA, slot),
    as.coordinator,
  );
  expect(created.status, created.text).toBe(201);
  const today = server.clock.today();
  const result = await appointmentRemindersHandler({ hour: 8, clock: server.clock })(
    {
      id: 'test',
      kind: 'appointment-reminders',
      payload: { day: today },
      status: 'running',
      attempts: 1,
      runAt: 0,
    } as never,
    server.store,
  );
  // Tomorrow's other bookings (the earlier tests') are reminded too: one message per booked patient.
  expect((result as { remindersSent: number }).remindersSent).toBeGreaterThanOrEqual(1);
  const inbox = await http<Bundle>(
    'GET',
    `${server.fhir}/Communication?recipient=Patient/${ROSA}`,
    undefined,
    as.caregiver,
  );
  const reminder = (inbox.body.entry ?? [])
    .map((e) => e.resource as Communication)
    .find((c) => c.about?.[0]?.reference === `Appointment/${created.body.id}`);
  expect(reminder?.payload?.[0]?.contentString).toMatch(/^Reminder: you have an appointment on \w+day/);
});

it('free times for a patient still in hospital start at the expected discharge, never during the stay', async () => {
  // Nadia Petrov was admitted yesterday and is expected home in two days (the demo's stay).
  const stay = (await http<Bundle>('GET', `${server.fhir}/Encounter?patient=demo-nadia-petrov&status=in-progress`)).body
    .entry?.[0]?.resource as { extension?: { url: string; valueDateTime?: string }[] };
  const expected = stay.extension?.find((x) => x.url.endsWith('Encounter.plannedEndDate'))?.valueDateTime as string;
  const expectedDay = server.clock.dateOf(expected);
  expect(expectedDay > server.clock.today()).toBe(true);
  const found = await http<Bundle>(
    'GET',
    `${server.fhir}/Slot/$find?patient=demo-nadia-petrov&start=${server.clock.today()}&_count=100`,
    undefined,
    as.coordinator,
  );
  expect(found.status, found.text).toBe(200);
  const days = matches(found.body).map((e) => server.clock.dateOf((e.resource as Slot).start));
  expect(days.length).toBeGreaterThan(0);
  expect(days.every((d) => d >= expectedDay)).toBe(true);
  // Harold is home: his times start today, so he is offered every one of hers and the days before.
  const home = await http<Bundle>(
    'GET',
    `${server.fhir}/Slot/$find?patient=${HAROLD}&_count=100`,
    undefined,
    as.coordinator,
  );
  const homeDays = matches(home.body).map((e) => server.clock.dateOf((e.resource as Slot).start));
  expect(homeDays.length).toBeGreaterThanOrEqual(days.length);
});
