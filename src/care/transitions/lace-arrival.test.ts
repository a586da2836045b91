import type { Encounter } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { isEmergentAdmission, precedingEmergencyVisit, priorEmergencyVisits } from './lace-arrival.js';

const admission = (extra: Partial<Encounter> = {}): Encounter => ({
  resourceType: 'Encounter',
  id: 'stay',
  status: 'finished',
  class: { code: 'IMP' },
  period: { start: '2026-11-20T14:00:00Z', end: '2026-11-25T10:00:00Z' },
  ...extra,
});
const ed = (id: string, start: string, end?: string): Encounter => ({
  resourceType: 'Encounter',
  id,
  status: 'finished',
  class: { code: 'EMER' },
  period: { start, ...(end ? { end } : {}) },
});

describe('LACE E: emergency visits before admission, not the one that led to it', () => {
  it.each([
    ['none', [], 0],
    ['the visit that led to the admission (same day)', [ed('e1', '2026-11-20T09:00:00Z', '2026-11-20T13:30:00Z')], 0],
    [
      'that visit and two earlier ones',
      [
        ed('e1', '2026-11-20T09:00:00Z', '2026-11-20T13:30:00Z'),
        ed('e2', '2026-09-01T09:00:00Z', '2026-09-01T12:00:00Z'),
        ed('e3', '2026-07-01T09:00:00Z', '2026-07-01T12:00:00Z'),
      ],
      2,
    ],
    [
      'a visit two days before (not the one that led to it)',
      [ed('e2', '2026-11-18T09:00:00Z', '2026-11-18T12:00:00Z')],
      1,
    ],
    ['a visit ended 23 hours before', [ed('e4', '2026-11-19T13:00:00Z', '2026-11-19T15:00:00Z')], 0],
    ['a visit more than 6 months before', [ed('e5', '2026-05-01T09:00:00Z', '2026-05-01T12:00:00Z')], 0],
    ['a visit after the admission began', [ed('e6', '2026-11-21T09:00:00Z', '2026-11-21T12:00:00Z')], 0],
  ] as const)('%s: %i', (_label, visits, count) => {
    expect(priorEmergencyVisits(admission(), visits as unknown as Encounter[])).toBe(count);
  });

  it('an admission that names its emergency visit (partOf) excludes that one', () => {
    const visits = [ed('e1', '2026-11-18T09:00:00Z', '2026-11-18T12:00:00Z'), ed('e2', '2026-10-01T09:00:00Z')];
    const stay = admission({ partOf: { reference: 'Encounter/e1' } });
    expect(precedingEmergencyVisit(stay, visits)?.id).toBe('e1');
    expect(priorEmergencyVisits(stay, visits)).toBe(1);
  });
});

describe('LACE A: acute when the patient arrived as an emergency', () => {
  it.each([
    ['an elective admission', admission(), [], false],
    [
      'admit source emergency department',
      admission({ hospitalization: { admitSource: { coding: [{ code: 'emd' }] } } }),
      [],
      true,
    ],
    ['priority emergency', admission({ priority: { coding: [{ code: 'EM' }] } }), [], true],
    ['an emergency visit just before', admission(), [ed('e1', '2026-11-20T09:00:00Z', '2026-11-20T13:30:00Z')], true],
    [
      'an emergency visit a week before',
      admission(),
      [ed('e1', '2026-11-13T09:00:00Z', '2026-11-13T13:30:00Z')],
      false,
    ],
  ] as const)('%s: %s', (_label, stay, visits, acute) => {
    expect(isEmergentAdmission(stay, visits as unknown as Encounter[])).toBe(acute);
  });
});
