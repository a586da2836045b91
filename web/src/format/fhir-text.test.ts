import { describe, expect, it } from 'vitest';
import { ageOn, formatConcept, formatDate, formatName, formatQuantity, referenceId } from './fhir-text.js';

describe('formatName', () => {
  it.each([
    [[{ given: ['Harold'], family: 'Brennan' }], 'Harold Brennan'],
    [
      [
        { use: 'nickname' as const, given: ['Hal'] },
        { use: 'official' as const, given: ['Harold'], family: 'B' },
      ],
      'Harold B',
    ],
    [[{ given: ['Maya'], family: 'Okafor', suffix: ['RN'] }], 'Maya Okafor, RN'],
    [[{ text: 'Dr. Reyes' }], 'Dr. Reyes'],
    [undefined, 'Unnamed'],
    [[{}], 'Unnamed'],
  ])('%j -> %s', (names, expected) => expect(formatName(names)).toBe(expected));
});

describe('formatConcept', () => {
  it.each([
    [{ text: 'Heart failure', coding: [{ display: 'x' }] }, 'Heart failure'],
    [{ coding: [{ code: '1' }, { code: '2', display: 'Two' }] }, 'Two'],
    [{ coding: [{ code: '42343007' }] }, '42343007'],
    [undefined, ''],
  ])('%j -> %s', (concept, expected) => expect(formatConcept(concept)).toBe(expected));
});

describe('formatQuantity', () => {
  it.each([
    [{ value: 84.2, unit: 'kg' }, '84.2 kg'],
    [{ value: 85.00000001, unit: 'kg' }, '85 kg'],
    [{ value: 120, unit: 'mm[Hg]' }, '120 mm[Hg]'],
    [{ unit: 'kg' }, ''],
  ])('%j -> %s', (q, expected) => expect(formatQuantity(q)).toBe(expected));
});

describe('formatDate', () => {
  it.each([
    ['2026-03-12', '12 Mar 2026'],
    ['2026-03-12T23:30:00-05:00', '12 Mar 2026'],
    ['2026-03', 'Mar 2026'],
    ['2026', '2026'],
    [undefined, ''],
  ])('%s -> %s', (value, expected) => expect(formatDate(value)).toBe(expected));
});

describe('ageOn', () => {
  it.each([
    ['1947-03-14', '2026-03-13', 78],
    ['1947-03-14', '2026-03-14', 79],
    ['1947-03-14', '2026-11-25', 79],
    [undefined, '2026-11-25', undefined],
  ])('born %s, on %s -> %s', (birth, today, expected) => expect(ageOn(birth, today)).toBe(expected));
});

it('referenceId takes the id of a reference of the named type only', () => {
  expect(referenceId({ reference: 'Patient/abc' }, 'Patient')).toBe('abc');
  expect(referenceId({ reference: 'Group/abc' }, 'Patient')).toBeUndefined();
});
