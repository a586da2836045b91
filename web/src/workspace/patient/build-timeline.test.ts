import { expect, it } from 'vitest';
import { buildTimeline } from './build-timeline.js';

it('lists stays, diagnoses, prescriptions, documents and result days, newest first', () => {
  const items = buildTimeline({
    encounters: [
      {
        resourceType: 'Encounter',
        status: 'finished',
        class: { code: 'IMP' },
        period: { start: '2026-11-19', end: '2026-11-23' },
        reasonCode: [{ text: 'Heart failure' }],
      },
    ],
    conditions: [{ resourceType: 'Condition', subject: {}, code: { text: 'Gout' }, onsetDateTime: '2020-01-01' }],
    medications: [
      {
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        subject: {},
        medicationCodeableConcept: { text: 'Furosemide' },
        authoredOn: '2026-11-23',
      },
    ],
    documents: [
      {
        resourceType: 'DocumentReference',
        status: 'current',
        content: [],
        date: '2026-11-23T10:00:00Z',
        description: 'Discharge summary',
      },
    ],
    observations: [
      {
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'Body weight' },
        effectiveDateTime: '2026-11-24T08:00:00Z',
      },
      {
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'Heart rate' },
        effectiveDateTime: '2026-11-24T08:05:00Z',
      },
    ],
  });
  expect(items.map((i) => i.text)).toEqual([
    '2 results: Body weight, Heart rate',
    'Document: Discharge summary',
    'Discharged (Heart failure)',
    'Prescribed: Furosemide',
    'Hospital stay began: Heart failure',
    'Diagnosed: Gout',
  ]);
});
