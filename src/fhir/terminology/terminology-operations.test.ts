import type { CodeSystem, ValueSet } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { OutcomeError } from '../outcome.js';
import { getBuiltinTerminology } from './builtin-terminology.js';
import { createTerminologyIndex } from './terminology-index.js';
import { expandValueSet, lookupCode } from './terminology-operations.js';

const now = new Date('2026-01-01T00:00:00Z');

describe('ValueSet $expand', () => {
  it('expands a FHIR value set with filter and count', () => {
    const vs = expandValueSet(getBuiltinTerminology(), 'http://hl7.org/fhir/ValueSet/task-status', {
      filter: 'prog',
      now,
    });
    expect(vs.expansion?.contains?.map((c) => c.code)).toEqual(['in-progress']);
    const all = expandValueSet(getBuiltinTerminology(), 'http://hl7.org/fhir/ValueSet/task-status', { count: 3, now });
    expect(all.expansion?.total).toBe(12);
    expect(all.expansion?.contains).toHaveLength(3);
  });

  it("expands Careloop's own task types", () => {
    const vs = expandValueSet(getBuiltinTerminology(), 'http://careloop.org/fhir/ValueSet/task-type', {
      filter: 'discharge',
      now,
    });
    expect(vs.expansion?.contains?.map((c) => c.code).sort()).toEqual([
      'discharge-planning',
      'post-discharge-contact',
      'post-discharge-visit',
      'readiness-item',
    ]);
  });

  it('expands a stored value set over a stored code system, excluding codes', () => {
    const cs: CodeSystem = {
      resourceType: 'CodeSystem',
      url: 'http://example.org/cs',
      status: 'active',
      content: 'complete',
      concept: [
        { code: 'a', display: 'Apple', concept: [{ code: 'a1', display: 'Green apple' }] },
        { code: 'b', display: 'Banana' },
      ],
    };
    const vs: ValueSet = {
      resourceType: 'ValueSet',
      url: 'http://example.org/vs',
      status: 'active',
      compose: {
        include: [{ system: 'http://example.org/cs' }],
        exclude: [{ system: 'http://example.org/cs', concept: [{ code: 'b' }] }],
      },
    };
    const index = createTerminologyIndex([cs, vs], getBuiltinTerminology());
    expect(expandValueSet(index, 'http://example.org/vs', { now }).expansion?.contains?.map((c) => c.code)).toEqual([
      'a',
      'a1',
    ]);
  });

  it('refuses what it cannot enumerate', () => {
    expect(() =>
      expandValueSet(getBuiltinTerminology(), 'http://hl7.org/fhir/ValueSet/observation-codes', { now }),
    ).toThrow(OutcomeError);
    expect(() => expandValueSet(getBuiltinTerminology(), 'http://example.org/none', { now })).toThrow('not known');
  });
});

describe('CodeSystem $lookup', () => {
  it('finds a code and its display', () => {
    const p = lookupCode(getBuiltinTerminology(), 'http://hl7.org/fhir/administrative-gender', 'female');
    expect(p.parameter?.find((x) => x.name === 'display')?.valueString).toBe('Female');
  });

  it('answers not found for an unknown code', () => {
    expect(() => lookupCode(getBuiltinTerminology(), 'http://hl7.org/fhir/administrative-gender', 'x')).toThrow(
      "Code 'x'",
    );
  });
});
