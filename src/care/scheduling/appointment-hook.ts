// An appointment's consequences of a write, in its transaction: its slots become busy (409 when a
// slot is already taken: of two bookings of one slot, one wins), slots it gives up become free, a
// patient already booked at an overlapping time is refused (409), and a no-show raises a follow-up
// task for the patient's care coordinator. Bookings of one patient are serialized (a lock held to
// commit), so racing requests on several servers cannot both book overlapping times.
import type { Appointment, Slot } from '@medplum/fhirtypes';
import { OutcomeError } from '../../fhir/outcome.js';
import type { WriteHook } from '../../store/care-api.js';
import type { ClinicClock } from '../calendar/clinic-clock.js';
import { careCoordinatorOf } from '../careteam/team-roles.js';
import { followUpTask } from '../worklist/follow-up-task.js';
import { becameNoShow, doubleBookings, patientsOf, slotChanges } from './booking-rules.js';

const conflict = (message: string) => new OutcomeError('conflict', message, { status: 409 });

export function appointmentHook(clock: ClinicClock): WriteHook {
  return async (event, tx, repo) => {
    if (event.resourceType !== 'Appointment' || !event.resource || event.interaction === 'delete') return;
    const next = { ...(event.resource as Appointment), id: event.id };
    const previous = event.previous as Appointment | undefined;
    const { take, release } = slotChanges(previous, next);
    for (const ref of take) {
      const slot = await tx.readCurrent<Slot & { id: string }>('Slot', ref.slice('Slot/'.length));
      if (!slot) throw new OutcomeError('not-found', `${ref} does not exist`, { status: 422 });
      if (slot.status !== 'free') throw conflict(`${ref} is already booked (${slot.status})`);
      await repo.update({ ...slot, status: 'busy' });
    }
    for (const ref of release) {
      const slot = await tx.readCurrent<Slot & { id: string }>('Slot', ref.slice('Slot/'.length));
      if (!slot) continue;
      if (slot.status === 'busy') await repo.update({ ...slot, status: 'free' });
    }
    // One booking per patient at a time, across servers: the check below then sees any booking
    // that committed before it (without this, racing bookings each saw none of the others).
    const patients = [...patientsOf(next)].sort();
    for (const patient of patients) await tx.lock(`appointments-of:${patient}`);
    for (const patient of patients) {
      const others = await tx.searchEvery<Appointment>('Appointment', [
        ['patient', patient],
        ['status', 'pending,booked,arrived,checked-in'],
      ]);
      const clash = doubleBookings(next, others)[0];
      if (clash) throw conflict(`The patient already has an appointment at that time (Appointment/${clash.id})`);
    }
    if (becameNoShow(previous, next)) {
      const at = clock.nowIso();
      const patient = patientsOf(next)[0];
      const coordinator = patient ? await careCoordinatorOf(tx, patient) : undefined;
      await repo.create(
        followUpTask({
          code: 'appointment-follow-up',
          display: 'Appointment follow-up',
          description: `Missed appointment${next.description ? ` (${next.description})` : ''} on ${next.start ? clock.dateOf(next.start) : 'its day'}: call the patient and rebook`,
          patient,
          focus: `Appointment/${event.id}`,
          owner: coordinator,
          at,
          due: clock.today(),
        }),
      );
    }
  };
}
