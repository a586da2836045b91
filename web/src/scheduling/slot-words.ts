// Free slots as the scheduling screens show them: who, when (as the clinic wrote it), and why a slot
// ranks where it does; and the appointment a chosen slot books.
import type { Appointment, Bundle, Practitioner, Schedule, Slot } from '@medplum/fhirtypes';

export const SLOT_MATCH_URL = 'http://careloop.org/fhir/StructureDefinition/slot-match';

export interface OfferedSlot {
  readonly slot: Slot;
  readonly practitioner: Practitioner | undefined;
  readonly reasons: string | undefined;
}

export function offeredSlots(bundle: Bundle): OfferedSlot[] {
  const included = new Map(
    (bundle.entry ?? [])
      .filter((e) => e.search?.mode === 'include' && e.resource)
      .map((e) => [`${e.resource?.resourceType}/${e.resource?.id}`, e.resource]),
  );
  return (bundle.entry ?? [])
    .filter((e) => e.search?.mode === 'match')
    .map((e) => {
      const slot = e.resource as Slot;
      const schedule = included.get(slot.schedule.reference ?? '') as Schedule | undefined;
      const actor = schedule?.actor.find((a) => a.reference?.startsWith('Practitioner/'))?.reference ?? '';
      return {
        slot,
        practitioner: included.get(actor) as Practitioner | undefined,
        reasons: e.search?.extension?.find((x) => x.url === SLOT_MATCH_URL)?.valueString,
      };
    });
}

/** "Tue 1 Dec, 2:30 pm" from the slot's time as written (the clinic's own offset). */
export function describeSlotTime(iso: string): string {
  const day = new Date(`${iso.slice(0, 10)}T12:00:00Z`);
  const weekday = day.toLocaleString('en-US', { weekday: 'short', timeZone: 'UTC' });
  const month = day.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const hour = Number(iso.slice(11, 13));
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${weekday} ${day.getUTCDate()} ${month}, ${h12}:${iso.slice(14, 16)} ${hour < 12 ? 'am' : 'pm'}`;
}

export function bookingFor(
  patientId: string,
  offered: OfferedSlot,
  practitionerName: string,
  description: string,
): Appointment {
  const practitioner = offered.practitioner?.id ? `Practitioner/${offered.practitioner.id}` : undefined;
  return {
    resourceType: 'Appointment',
    status: 'booked',
    description,
    start: offered.slot.start,
    end: offered.slot.end,
    slot: [{ reference: `Slot/${offered.slot.id}` }],
    ...(offered.slot.serviceType ? { serviceType: offered.slot.serviceType } : {}),
    participant: [
      { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
      ...(practitioner
        ? [{ actor: { reference: practitioner, display: practitionerName }, status: 'accepted' as const }]
        : []),
    ],
  };
}
