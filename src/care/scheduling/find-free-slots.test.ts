import type { Patient, Practitioner, Schedule, Slot } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseTimePreference, rankSlots, suitsTime } from './find-free-slots.js';

describe('parseTimePreference and suitsTime', () => {
  // 2026-12-01 is a Tuesday; 2026-12-05 a Saturday.
  it.each([
    ['Weekday mornings, before 11', '2026-12-01T09:00:00-05:00', true],
    ['Weekday mornings, before 11', '2026-12-01T11:00:00-05:00', false],
    ['Weekday mornings, before 11', '2026-12-05T09:00:00-05:00', false],
    ['afternoons', '2026-12-01T14:30:00-05:00', true],
    ['afternoons', '2026-12-01T09:30:00-05:00', false],
    ['after 2', '2026-12-01T14:00:00-05:00', true],
    ['after 2', '2026-12-01T13:00:00-05:00', false],
    ['after 2pm on weekends', '2026-12-05T15:00:00-05:00', true],
    ['evenings', '2026-12-01T18:00:00-05:00', true],
    ['', '2026-12-05T03:00:00-05:00', true],
  ])('"%s" and %s: %s', (text, start, ok) => {
    expect(suitsTime(start, parseTimePreference(text))).toBe(ok);
  });
});

describe('rankSlots', () => {
  const slot = (id: string, schedule: string, start: string, status: Slot['status'] = 'free'): Slot => ({
    resourceType: 'Slot',
    id,
    schedule: { reference: `Schedule/${schedule}` },
    status,
    start,
    end: start.replace(/T(\d\d)/, (_, h: string) => `T${String(Number(h) + 1).padStart(2, '0')}`),
  });
  const schedule = (id: string, practitioner: string): Schedule => ({
    resourceType: 'Schedule',
    id,
    actor: [{ reference: `Practitioner/${practitioner}` }],
  });
  const practitioner = (id: string, languages: string[]): Practitioner => ({
    resourceType: 'Practitioner',
    id,
    communication: languages.map((code) => ({ coding: [{ system: 'urn:ietf:bcp:47', code }] })),
  });
  const patient: Patient = {
    resourceType: 'Patient',
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'es' }] }, preferred: true }],
    extension: [{ url: 'http://careloop.org/fhir/StructureDefinition/contact-times', valueString: 'mornings' }],
  };
  it('puts the clinician who speaks the patient’s language first, then the times they like, then the soonest', () => {
    const ranked = rankSlots({
      slots: [
        slot('en-morning', 's-en', '2026-12-01T09:00:00-05:00'),
        slot('es-afternoon', 's-es', '2026-12-02T14:00:00-05:00'),
        slot('es-morning', 's-es', '2026-12-03T09:00:00-05:00'),
        slot('busy', 's-es', '2026-12-01T08:00:00-05:00', 'busy'),
        slot('en-afternoon', 's-en', '2026-12-01T13:00:00-05:00'),
      ],
      schedules: new Map([
        ['Schedule/s-en', schedule('s-en', 'en')],
        ['Schedule/s-es', schedule('s-es', 'es')],
      ]),
      practitioners: new Map([
        ['Practitioner/en', practitioner('en', ['en'])],
        ['Practitioner/es', practitioner('es', ['en', 'es-MX'])],
      ]),
      patient,
      languageNames: { es: 'Spanish' },
    });
    expect(ranked.map((r) => r.slot.id)).toEqual(['es-morning', 'es-afternoon', 'en-morning', 'en-afternoon']);
    expect(ranked[0]?.reasons).toEqual(['speaks Spanish', 'suits "mornings"']);
  });
});
