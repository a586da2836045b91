import type { Condition, Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildNeedsProfile } from './needs-profile.js';

const total = (id: string, code: string, date: string, positive: boolean, value: number): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code }] },
  effectiveDateTime: date,
  valueInteger: value,
  interpretation: [
    {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
          code: positive ? 'POS' : 'NEG',
        },
      ],
    },
  ],
});

const part = (p: { part?: { name: string }[] } | undefined, name: string) =>
  (p?.part ?? []).find((x) => x.name === name) as Record<string, unknown> | undefined;

describe('buildNeedsProfile', () => {
  const food: Condition = {
    resourceType: 'Condition',
    id: 'c1',
    subject: {},
    code: {
      coding: [{ system: 'http://careloop.org/fhir/CodeSystem/health-concern', code: 'food-insecurity' }],
      text: 'Food insecurity',
    },
  };
  const profile = buildNeedsProfile({
    totals: [
      total('o-old', '44261-6', '2026-01-10', true, 12),
      total('o-new', '44261-6', '2026-07-01', true, 12),
      total('o-gad', '70274-6', '2026-11-01', false, 2),
    ],
    conditions: [food],
    goals: [],
    requests: [],
    today: '2026-11-25',
    dateOf: (instant: string) => instant.slice(0, 10),
  });
  const domain = (code: string) => profile.parameter?.find((d) => d.part?.some((p) => p.valueCode === code));
  const instrument = (code: string, url: string) =>
    domain(code)?.part?.find((p) => p.name === 'instrument' && p.part?.some((x) => x.valueCanonical === url));

  it('takes the latest result of each instrument and says when it is due', () => {
    const phq9 = instrument('behavioral', 'http://careloop.org/fhir/Questionnaire/phq-9');
    expect(part(phq9, 'result')?.valueReference).toEqual({ reference: 'Observation/o-new' });
    // Positive (12): due again 3 months after 1 July, so overdue on 25 November.
    expect(part(phq9, 'due')?.valueDate).toBe('2026-10-01');
    expect(part(phq9, 'overdue')?.valueBoolean).toBe(true);
    const gad7 = instrument('behavioral', 'http://careloop.org/fhir/Questionnaire/gad-7');
    expect([part(gad7, 'due')?.valueDate, part(gad7, 'overdue')?.valueBoolean]).toEqual(['2027-11-01', false]);
  });

  it('an instrument never done is due today, not overdue', () => {
    const katz = instrument('functional', 'http://careloop.org/fhir/Questionnaire/katz-adl');
    expect(part(katz, 'result')).toBeUndefined();
    expect([part(katz, 'due')?.valueDate, part(katz, 'overdue')?.valueBoolean]).toEqual(['2026-11-25', false]);
  });

  it('lists open concerns with their proposals until each is in the plan', () => {
    const concern = domain('social')?.part?.find((p) => p.name === 'concern');
    expect(concern?.part?.filter((p) => p.name === 'proposal').length).toBe(2);
    const accepted = buildNeedsProfile({
      totals: [],
      conditions: [food],
      goals: [
        {
          resourceType: 'Goal',
          lifecycleStatus: 'active',
          description: { text: 'Reliable access to enough food' },
          subject: {},
          addresses: [{ reference: 'Condition/c1' }],
        },
      ],
      requests: [],
      today: '2026-11-25',
      dateOf: (instant: string) => instant.slice(0, 10),
    });
    const after = accepted.parameter
      ?.find((d) => d.part?.some((p) => p.valueCode === 'social'))
      ?.part?.find((p) => p.name === 'concern');
    const left = after?.part?.filter((p) => p.name === 'proposal').map((p) => p.part?.[0]?.valueCode);
    expect(left).toEqual(['referral']);
  });
});
