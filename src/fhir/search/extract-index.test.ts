import { describe, expect, it } from 'vitest';
import { extractIndex, normalizeString, referenceTarget } from './extract-index.js';

describe('extractIndex', () => {
  const patient = {
    resourceType: 'Patient',
    id: 'p1',
    name: [{ family: 'Müller', given: ['Anna', 'Maria'] }],
    gender: 'female',
    birthDate: '1950-02-03',
    identifier: [{ system: 'urn:mrn', value: 'M1' }],
    telecom: [{ system: 'phone', value: '555-0100' }],
    generalPractitioner: [{ reference: 'Practitioner/dr1' }],
    deceasedBoolean: false,
  };

  it('indexes names accent- and case-insensitively', () => {
    const ix = extractIndex(patient);
    expect(ix.strings.filter((s) => s.param === 'family').map((s) => s.norm)).toEqual(['muller']);
    expect(ix.strings.filter((s) => s.param === 'given').map((s) => s.exact)).toEqual(['Anna', 'Maria']);
  });

  it('indexes tokens, references and dates', () => {
    const ix = extractIndex(patient);
    expect(ix.tokens).toContainEqual({ param: 'gender', system: '', code: 'female' });
    expect(ix.tokens).toContainEqual({ param: 'identifier', system: 'urn:mrn', code: 'M1' });
    expect(ix.tokens).toContainEqual({ param: 'phone', system: 'phone', code: '555-0100' });
    expect(ix.tokens).toContainEqual({ param: 'deceased', system: '', code: 'false' });
    expect(ix.references).toContainEqual({
      param: 'general-practitioner',
      targetType: 'Practitioner',
      targetId: 'dr1',
    });
    const birth = ix.dates.find((d) => d.param === 'birthdate');
    expect(birth && new Date(birth.low).toISOString()).toBe('1950-02-03T00:00:00.000Z');
  });

  it('indexes open periods to the end of time', () => {
    const ix = extractIndex({
      resourceType: 'Encounter',
      status: 'in-progress',
      class: { code: 'IMP' },
      period: { start: '2024-01-01T10:00:00Z' },
    });
    const d = ix.dates.find((x) => x.param === 'date');
    expect(d?.high).toBeGreaterThan(Date.parse('9999-01-01'));
  });

  it('indexes quantities and composites', () => {
    const ix = extractIndex({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic' }], text: 'Systolic BP' },
      valueQuantity: { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    });
    expect(ix.quantities).toContainEqual({
      param: 'value-quantity',
      system: 'http://unitsofmeasure.org',
      code: 'mm[Hg]',
      value: 120,
    });
    expect(ix.composites).toContainEqual(
      expect.objectContaining({ param: 'code-value-quantity', code1: '8480-6', code2: 'mm[Hg]', low2: 120 }),
    );
    expect(
      ix.strings
        .filter((s) => s.param === 'code:text')
        .map((s) => s.exact)
        .sort(),
    ).toEqual(['Systolic', 'Systolic BP']);
  });

  it('turns references into type and id', () => {
    expect(referenceTarget('Patient/1')).toEqual({ targetType: 'Patient', targetId: '1' });
    expect(referenceTarget('Patient/1/_history/3')).toEqual({ targetType: 'Patient', targetId: '1' });
    expect(referenceTarget('http://x.org/Questionnaire/q|2.0')).toEqual({
      targetType: '',
      targetId: 'http://x.org/Questionnaire/q',
    });
    expect(referenceTarget('#contained')).toBeUndefined();
  });

  it('normalizes strings', () => {
    expect(normalizeString('  ÉLODIE Çà ')).toBe('elodie ca');
  });
});
