import type { Condition } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { charlsonIndex, laceBand, lacePoints, lengthOfStay, scoreLace } from './lace-index.js';

const condition = (text: string, icd?: string): Condition => ({
  resourceType: 'Condition',
  subject: { reference: 'Patient/p' },
  code: { text, ...(icd ? { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: icd }] } : {}) },
});

describe('LACE components at every boundary', () => {
  it.each([
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 4],
    [6, 4],
    [7, 5],
    [13, 5],
    [14, 7],
    [30, 7],
  ])('length of stay %i days: %i points', (days, points) => {
    expect(lacePoints.length(days)).toBe(points);
  });
  it.each([
    [true, 3],
    [false, 0],
  ])('emergent %s: %i', (emergent, points) => {
    expect(lacePoints.acuity(emergent)).toBe(points);
  });
  it.each([
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 5],
    [9, 5],
  ])('Charlson %i: %i', (c, points) => {
    expect(lacePoints.comorbidity(c)).toBe(points);
  });
  it.each([
    [0, 0],
    [1, 1],
    [3, 3],
    [4, 4],
    [10, 4],
  ])('%i ED visits: %i', (v, points) => {
    expect(lacePoints.emergency(v)).toBe(points);
  });
  it.each([
    [0, 'low'],
    [4, 'low'],
    [5, 'moderate'],
    [9, 'moderate'],
    [10, 'high'],
    [19, 'high'],
  ])('total %i is %s', (t, band) => {
    expect(laceBand(t)).toBe(band);
  });
});

describe('Charlson index', () => {
  it('counts categories once, by words or ICD-10, and the severe form replaces the mild', () => {
    const r = charlsonIndex([
      condition('Congestive heart failure'),
      condition('Type 2 diabetes mellitus'),
      condition('Diabetic retinopathy'),
      condition('Heart failure with reduced ejection fraction'),
      condition('whatever', 'N18.4'),
    ]);
    expect(r.categories).toEqual(['chf', 'diabetes-complications', 'renal']);
    expect(r.score).toBe(5);
  });
});

it('scores a stay with each component shown', () => {
  const r = scoreLace({
    lengthOfStayDays: lengthOfStay('2026-11-24T10:00:00Z', '2026-11-28T15:00:00Z'),
    emergent: true,
    conditions: [condition('Congestive heart failure'), condition('Chronic kidney disease stage 3')],
    edVisitsPrior6Months: 1,
  });
  expect(r.components.length).toEqual({ days: 4, points: 4 });
  expect(r.components.comorbidity.points).toBe(3);
  expect(r.total).toBe(11);
  expect(r.band).toBe('high');
});
