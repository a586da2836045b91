import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeries } from './observation-trends.js';

const weight = (date: string, value: number): Observation => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
  effectiveDateTime: date,
  valueQuantity: { value, unit: 'kg' },
});

describe('buildSeries', () => {
  it('groups by code, oldest first', () => {
    const series = buildSeries([weight('2026-11-03', 85), weight('2026-11-01', 84), weight('2026-11-02', 84.5)]);
    expect(series).toHaveLength(1);
    expect(series[0]?.title).toBe('Body weight');
    expect(series[0]?.points.map((p) => p.value)).toEqual([84, 84.5, 85]);
  });

  it('splits blood pressure into its components and skips entered-in-error and text values', () => {
    const bp: Observation = {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ code: '85354-9', display: 'Blood pressure panel' }] },
      effectiveDateTime: '2026-11-01',
      component: [
        { code: { coding: [{ code: '8480-6', display: 'Systolic' }] }, valueQuantity: { value: 130, unit: 'mm[Hg]' } },
        { code: { coding: [{ code: '8462-4', display: 'Diastolic' }] }, valueQuantity: { value: 80, unit: 'mm[Hg]' } },
      ],
    };
    const series = buildSeries([
      bp,
      { ...weight('2026-11-01', 99), status: 'entered-in-error' },
      { ...weight('2026-11-01', 1), valueQuantity: undefined, valueString: 'n/a' },
    ]);
    expect(series.map((s) => s.title).sort()).toEqual(['Diastolic', 'Systolic']);
  });
});
