import { expect, it } from 'vitest';
import { bookingFor, describeSlotTime, offeredSlots } from './slot-words.js';

it.each([
  ['2026-12-01T14:30:00-08:00', 'Tue 1 Dec, 2:30 pm'],
  ['2026-12-07T09:00:00-08:00', 'Mon 7 Dec, 9:00 am'],
])('%s reads "%s"', (iso, words) => {
  expect(describeSlotTime(iso)).toBe(words);
});

it('reads the ranked slots with their clinician, and books one for the patient', () => {
  const offered = offeredSlots({
    resourceType: 'Bundle',
    type: 'searchset',
    entry: [
      {
        resource: {
          resourceType: 'Slot',
          id: 's1',
          schedule: { reference: 'Schedule/sc' },
          status: 'free',
          start: 'a',
          end: 'b',
        },
        search: {
          mode: 'match',
          extension: [
            { url: 'http://careloop.org/fhir/StructureDefinition/slot-match', valueString: 'speaks Spanish' },
          ],
        },
      },
      {
        resource: { resourceType: 'Schedule', id: 'sc', actor: [{ reference: 'Practitioner/d' }] },
        search: { mode: 'include' },
      },
      { resource: { resourceType: 'Practitioner', id: 'd' }, search: { mode: 'include' } },
    ],
  });
  expect(offered[0]?.practitioner?.id).toBe('d');
  expect(offered[0]?.reasons).toBe('speaks Spanish');
  const booking = bookingFor('p', offered[0] as never, 'Dr D', 'Follow-up');
  expect(booking.slot).toEqual([{ reference: 'Slot/s1' }]);
  expect(booking.participant.map((p) => p.actor?.reference)).toEqual(['Patient/p', 'Practitioner/d']);
});
