import type { Appointment } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { becameNoShow, doubleBookings, slotChanges } from './booking-rules.js';

const appt = (status: Appointment['status'], slots: string[] = [], extra: Partial<Appointment> = {}): Appointment => ({
  resourceType: 'Appointment',
  status,
  participant: [{ actor: { reference: 'Patient/p' }, status: 'accepted' }],
  slot: slots.map((reference) => ({ reference })),
  ...extra,
});

describe('slotChanges', () => {
  it.each([
    ['booking takes the slot', undefined, appt('booked', ['Slot/a']), ['Slot/a'], []],
    ['a proposal takes nothing', undefined, appt('proposed', ['Slot/a']), [], []],
    ['cancelling gives it back', appt('booked', ['Slot/a']), appt('cancelled', ['Slot/a']), [], ['Slot/a']],
    [
      'entered in error gives it back',
      appt('booked', ['Slot/a']),
      appt('entered-in-error', ['Slot/a']),
      [],
      ['Slot/a'],
    ],
    ['rescheduling swaps slots', appt('booked', ['Slot/a']), appt('booked', ['Slot/b']), ['Slot/b'], ['Slot/a']],
    ['arrival keeps the slot', appt('booked', ['Slot/a']), appt('arrived', ['Slot/a']), [], []],
    ['a no-show keeps the past slot', appt('booked', ['Slot/a']), appt('noshow', ['Slot/a']), [], []],
  ])('%s', (_, previous, next, take, release) => {
    expect(slotChanges(previous, next)).toEqual({ take, release });
  });
});

describe('doubleBookings', () => {
  const at = (id: string, start: string, end: string, status: Appointment['status'] = 'booked') =>
    appt(status, [], { id, start, end });
  const next = at('new', '2026-12-01T10:00:00Z', '2026-12-01T10:30:00Z');
  it.each([
    ['overlapping', at('x', '2026-12-01T10:15:00Z', '2026-12-01T11:00:00Z'), 1],
    ['back to back', at('x', '2026-12-01T10:30:00Z', '2026-12-01T11:00:00Z'), 0],
    ['cancelled one', at('x', '2026-12-01T10:00:00Z', '2026-12-01T10:30:00Z', 'cancelled'), 0],
    ['itself', at('new', '2026-12-01T10:00:00Z', '2026-12-01T10:30:00Z'), 0],
  ])('%s', (_, other, count) => {
    expect(doubleBookings(next, [other])).toHaveLength(count);
  });
});

it('a no-show is noticed once', () => {
  expect(becameNoShow(appt('booked'), appt('noshow'))).toBe(true);
  expect(becameNoShow(appt('noshow'), appt('noshow'))).toBe(false);
});
