import type { Condition, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseHl7 } from './hl7-message.js';
import { movePatientReferences, planMerge } from './plan-merge.js';
import { readAdt } from './read-adt.js';

const a40 = () => {
  const parsed = parseHl7(
    'MSH|^~\\&|EPIC|MERCY|||20261201||ADT^A40|m1|P|2.5.1\rPID|1||K1^^^MERCY^MR\rMRG|K2^^^MERCY^MR',
  );
  if (!parsed.ok) throw new Error(parsed.reason);
  const reading = readAdt(parsed.message, 'America/New_York');
  if (!reading.ok) throw new Error(reading.problem.text);
  return reading.adt;
};
const SYSTEM = 'http://careloop.org/fhir/sid/hl7v2/MERCY';
const keep: Patient = { resourceType: 'Patient', id: 'keep', identifier: [{ system: SYSTEM, value: 'K1' }] };
const gone: Patient = { resourceType: 'Patient', id: 'gone', identifier: [{ system: SYSTEM, value: 'K2' }] };
const condition: Condition = {
  resourceType: 'Condition',
  id: 'c1',
  subject: { reference: 'Patient/gone' },
  evidence: [{ detail: [{ reference: 'Patient/gone/_history/3' }, { reference: 'Patient/gonezo' }] }],
} as Condition;

describe('movePatientReferences', () => {
  it('rewrites every reference to the patient, its versions too, and no other', () => {
    const moved = movePatientReferences(condition, 'gone', 'keep');
    expect(moved.subject?.reference).toBe('Patient/keep');
    expect(moved.evidence?.[0]?.detail?.map((d) => d.reference)).toEqual(['Patient/keep', 'Patient/gonezo']);
    expect(condition.subject?.reference).toBe('Patient/gone');
  });
});

describe('planMerge', () => {
  it('moves the record, retires the old patient and gives the survivor its identifiers', () => {
    const plan = planMerge(a40(), keep, gone, [condition]);
    if (plan.kind !== 'apply') throw new Error(plan.reason);
    const [survivor, retired, moved] = (plan.bundle.entry ?? []).map((e) => e.resource) as [
      Patient,
      Patient,
      Condition,
    ];
    expect(survivor.identifier).toEqual([
      { system: SYSTEM, value: 'K1' },
      { system: SYSTEM, value: 'K2', use: 'old' },
    ]);
    expect(survivor.link).toEqual([{ other: { reference: 'Patient/gone' }, type: 'replaces' }]);
    expect(retired).toMatchObject({ id: 'gone', active: false, link: [{ type: 'replaced-by' }] });
    expect(retired.identifier).toBeUndefined();
    expect(moved.subject?.reference).toBe('Patient/keep');
    expect(plan.moved).toBe(1);
  });

  it.each([
    ['only the survivor is known', keep, undefined, 'keep'],
    ['only the retired patient is known', undefined, gone, 'gone'],
  ])('learns the identifiers when %s', (_, survivor, retired, id) => {
    const plan = planMerge(a40(), survivor, retired, []);
    expect(plan.kind === 'apply' && plan.patientId).toBe(id);
    expect(plan.kind === 'apply' && plan.bundle.entry?.length).toBe(1);
  });

  it.each([
    ['neither patient is known', undefined, undefined],
    ['both are the same patient', keep, keep],
  ])('refuses when %s', (_, survivor, retired) => {
    expect(planMerge(a40(), survivor, retired, []).kind).toBe('refuse');
  });
});
