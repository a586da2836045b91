import type { Communication } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { markRead, readersOf } from './mark-read.js';

const message: Communication = {
  resourceType: 'Communication',
  status: 'completed',
  sender: { reference: 'Practitioner/pcp' },
  recipient: [{ reference: 'Practitioner/coord' }, { reference: 'Patient/h' }],
};

it('records each recipient’s reading once', () => {
  const first = markRead(message, 'Practitioner/coord', [], '2026-11-25T10:00:00Z');
  expect(first.ok && first.changed).toBe(true);
  const again = first.ok ? markRead(first.message, 'Practitioner/coord', [], '2026-11-25T11:00:00Z') : first;
  expect(again.ok && again.changed).toBe(false);
  expect(first.ok && readersOf(first.message)).toEqual([{ who: 'Practitioner/coord', when: '2026-11-25T10:00:00Z' }]);
});

it('lets a caregiver mark read as the patient they act for, and nobody else', () => {
  const proxy = markRead(message, 'RelatedPerson/linda', ['Patient/h'], '2026-11-25T10:00:00Z');
  expect(proxy.ok && readersOf(proxy.message)[0]?.who).toBe('Patient/h');
  expect(markRead(message, 'Practitioner/pcp', [], '2026-11-25T10:00:00Z').ok).toBe(false);
});
