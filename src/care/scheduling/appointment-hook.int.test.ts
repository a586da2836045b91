// The appointment hook alone, on a real database: slots taken and given back, one booking of a
// slot, one appointment of a patient at a time, and a no-show's follow-up task.
import type { Appointment, Slot, Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { hookBench, statusOf } from '../../../test/support/hook-test-repository.js';
import { appointmentHook } from './appointment-hook.js';

const bench = hookBench((clock) => ({ Appointment: [appointmentHook(clock)] }));

const slot = (start: string): Slot => ({
  resourceType: 'Slot',
  schedule: { reference: 'Schedule/s' },
  status: 'free',
  start,
  end: start.replace(':00:00Z', ':30:00Z'),
});
const appointment = (patient: string, slotId: string, start: string, status: Appointment['status'] = 'booked') =>
  ({
    resourceType: 'Appointment',
    status,
    start,
    end: start.replace(':00:00Z', ':30:00Z'),
    slot: [{ reference: `Slot/${slotId}` }],
    participant: [{ actor: { reference: `Patient/${patient}` }, status: 'accepted' }],
  }) satisfies Appointment;

it('a booking takes its slot; a second booking of the slot is refused and writes nothing', async () => {
  const b = await bench.open();
  const s = await b.create(slot('2026-12-08T15:00:00Z'));
  await b.create(appointment('ann', s.id, '2026-12-08T15:00:00Z'));
  expect((await b.search<Slot>('Slot', [['_id', s.id]]))[0]?.status).toBe('busy');
  expect(await statusOf(b.repo.create(appointment('bob', s.id, '2026-12-08T15:00:00Z')))).toBe(409);
  expect(await b.search<Appointment>('Appointment', [['patient', 'bob']])).toEqual([]);
});

it('a cancelled appointment gives its slot back', async () => {
  const b = await bench.open();
  const s = await b.create(slot('2026-12-08T16:00:00Z'));
  const booked = await b.create(appointment('ann', s.id, '2026-12-08T16:00:00Z'));
  await b.update({ ...booked, status: 'cancelled' });
  expect((await b.search<Slot>('Slot', [['_id', s.id]]))[0]?.status).toBe('free');
});

it('a patient already booked at an overlapping time is refused', async () => {
  const b = await bench.open();
  const one = await b.create(slot('2026-12-08T17:00:00Z'));
  const other = await b.create({ ...slot('2026-12-08T17:00:00Z'), schedule: { reference: 'Schedule/t' } });
  await b.create(appointment('ann', one.id, '2026-12-08T17:00:00Z'));
  expect(await statusOf(b.repo.create(appointment('ann', other.id, '2026-12-08T17:00:00Z')))).toBe(409);
  expect((await b.search<Slot>('Slot', [['_id', other.id]]))[0]?.status).toBe('free');
});

it('a no-show raises one follow-up task to call and rebook', async () => {
  const b = await bench.open();
  const s = await b.create(slot('2026-12-02T15:00:00Z'));
  const booked = await b.create(appointment('ann', s.id, '2026-12-02T15:00:00Z'));
  const missed = await b.update({ ...booked, status: 'noshow' });
  await b.update({ ...missed, comment: 'left a voicemail' });
  const tasks = await b.search<Task>('Task', [['focus', `Appointment/${booked.id}`]]);
  expect(tasks).toHaveLength(1);
  expect(tasks[0]).toMatchObject({ status: 'requested', for: { reference: 'Patient/ann' } });
  expect(tasks[0]?.description).toMatch(/Missed appointment on 2026-12-02: call the patient and rebook/);
});
