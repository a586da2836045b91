import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/support/shared-data.js';
import { validateResource } from './validate-resource.js';

const base = { resourceType: 'Patient' };

describe('validateResource', () => {
  it.each<[string, unknown, string, string]>([
    ['unknown resourceType', { resourceType: 'Patientx' }, 'structure', "Unknown resourceType 'Patientx'"],
    ['not an object', [base], 'structure', 'must be a JSON object'],
    ['unknown element', { ...base, foo: 1 }, 'structure', "Unknown element 'foo' at Patient"],
    [
      'wrong type (string for boolean)',
      { ...base, active: 'yes' },
      'structure',
      'Expected a boolean at Patient.active',
    ],
    ['object where array needed', { ...base, name: { family: 'x' } }, 'structure', 'Expected an array at Patient.name'],
    ['array where single needed', { ...base, gender: ['male'] }, 'structure', 'must be a single value'],
    ['malformed date', { ...base, birthDate: '12/01/1970' }, 'value', "Invalid date '12/01/1970' at Patient.birthDate"],
    ['impossible date', { ...base, birthDate: '2021-02-29' }, 'value', 'no such day'],
    [
      'dateTime without zone',
      { resourceType: 'Observation', status: 'final', code: { text: 'x' }, effectiveDateTime: '2020-01-01T10:00:00' },
      'value',
      'Invalid dateTime',
    ],
    ['malformed id', { ...base, id: 'a b' }, 'value', "Invalid id 'a b'"],
    ['id too long', { ...base, id: 'x'.repeat(65) }, 'value', 'Invalid id'],
    [
      'missing required element',
      { resourceType: 'Observation', status: 'final' },
      'required',
      'Missing required element Observation.code',
    ],
    [
      'missing required in nested',
      { resourceType: 'Observation', status: 'final', code: { text: 'x' }, component: [{ valueString: 'x' }] },
      'required',
      'Observation.component[0].code',
    ],
    [
      'code outside required binding',
      { resourceType: 'Task', status: 'bogus', intent: 'order' },
      'code-invalid',
      "The code 'bogus' is not in the required value set",
    ],
    [
      'coding outside required binding',
      {
        resourceType: 'Condition',
        subject: { reference: 'Patient/1' },
        clinicalStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'bogus' }],
        },
      },
      'code-invalid',
      'None of the codings',
    ],
    ['empty array', { ...base, name: [] }, 'structure', 'Empty array'],
    ['empty string', { ...base, gender: '' }, 'value', 'Empty or blank string'],
    ['empty object', { ...base, maritalStatus: {} }, 'structure', 'Empty object'],
    ['integer out of range', { resourceType: 'Patient', multipleBirthInteger: 1.5 }, 'value', 'Invalid integer'],
    [
      'positiveInt zero',
      {
        resourceType: 'Appointment',
        status: 'booked',
        participant: [{ status: 'accepted', actor: { reference: 'Patient/1' } }],
        minutesDuration: 0,
      },
      'value',
      'Invalid positiveInt 0',
    ],
    ['null value', { ...base, gender: null }, 'structure', 'Null value'],
    ['unknown primitive extension target', { ...base, _foo: { id: 'x' } }, 'structure', "Unknown element '_foo'"],
    [
      'contained resource checked',
      { ...base, contained: [{ resourceType: 'Practitioner', bogus: true }] },
      'structure',
      "Unknown element 'bogus' at Patient.contained[0]",
    ],
  ])('%s', (_name, resource, code, message) => {
    const issues = validateResource(resource);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.some((i) => i.code === code && i.diagnostics.includes(message))).toBe(true);
  });

  it.each<[string, unknown]>([
    ['minimal patient', base],
    ['primitive extension only', { ...base, _birthDate: { extension: [{ url: 'http://x', valueString: 'unknown' }] } }],
    [
      'choice element',
      { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: 1, unit: 'kg' } },
    ],
    ['required binding met', { resourceType: 'Task', status: 'requested', intent: 'order' }],
    [
      'array of primitives with nulls padded by extensions',
      { ...base, name: [{ given: ['A', null], _given: [null, { id: 'x' }] }] },
    ],
    ['instant with fraction', { ...base, meta: { lastUpdated: '2020-01-01T00:00:00.123+01:00' } }],
  ])('accepts %s', (_name, resource) => {
    expect(validateResource(resource)).toEqual([]);
  });

  it('requires the expected type', () => {
    expect(validateResource({ resourceType: 'Patient' }, 'Observation')[0]?.diagnostics).toContain(
      'Expected a Observation',
    );
  });

  it('accepts every resource of the Synthea sample', () => {
    const dir = sharedData('synthea');
    for (const f of readdirSync(dir)) {
      const bundle = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as { entry: { resource: unknown }[] };
      for (const e of bundle.entry) expect(validateResource(e.resource)).toEqual([]);
    }
  });
});
