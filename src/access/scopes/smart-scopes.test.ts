import { describe, expect, it } from 'vitest';
import {
  categoryLimits,
  coversScope,
  formatScope,
  grantScopes,
  hasCategory,
  parseResourceScope,
  parseScopes,
  scopesAllow,
} from './smart-scopes.js';

describe('SMART scopes', () => {
  it.each([
    ['patient/*.rs', 'patient', '*', 'rs'],
    ['user/Observation.cruds', 'user', 'Observation', 'cruds'],
    ['system/*.read', 'system', '*', 'rs'],
    ['user/Patient.write', 'user', 'Patient', 'cud'],
    ['patient/*.*', 'patient', '*', 'cruds'],
    ['user/Condition.rs', 'user', 'Condition', 'rs'],
  ])('%s', (text, context, type, interactions) => {
    const scope = parseResourceScope(text);
    expect(scope?.context).toBe(context);
    expect(scope?.type).toBe(type);
    expect([...(scope?.interactions ?? [])].sort().join('')).toBe([...interactions].sort().join(''));
  });

  it.each([
    'patient/*.rs?category=laboratory',
    'patient/Observation.rs?code=1234-5',
    'patient/Observation.rs?category=',
    'patient/Observation.rs?category=a|b|c',
    'patient/Observation.rs?category=laboratory&code=x',
    'person/*.rs',
    'user/*.x',
    'user/observation.rs',
    'user/*.sr',
    '',
  ])('refuses %j', (text) => {
    expect(parseResourceScope(text)).toBeUndefined();
  });

  it('checks an interaction on a type', () => {
    const { resources } = parseScopes('user/Observation.rs user/Patient.r');
    expect(scopesAllow(resources, 'Observation', 's')).toBe(true);
    expect(scopesAllow(resources, 'Patient', 's')).toBe(false);
    expect(scopesAllow(resources, 'Condition', 'r')).toBe(false);
  });

  it('grants at most what the role allows', () => {
    const max = parseResourceScope('patient/*.cruds');
    if (!max) throw new Error('unreachable');
    expect(grantScopes(undefined, max)).toBe('patient/*.cruds');
    expect(grantScopes('patient/Observation.rs launch/patient openid', max)).toBe(
      'patient/Observation.rs launch/patient openid',
    );
    expect(grantScopes('user/*.cruds system/*.rs', max)).toBe('');
    const readOnly = parseResourceScope('user/*.rs');
    if (!readOnly) throw new Error('unreachable');
    expect(grantScopes('user/Patient.cruds', readOnly)).toBe('user/Patient.rs');
    // A clinician's app may have one patient's records; a patient's app never a user's.
    expect(grantScopes('patient/Observation.cruds', readOnly)).toBe('patient/Observation.rs');
    expect(grantScopes('user/Observation.rs', max)).toBe('');
  });

  const LAB = 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory';
  it.each([
    [`patient/Observation.rs?category=${LAB}`, { system: LAB.split('|')[0], code: 'laboratory' }],
    ['patient/Observation.rs?category=vital-signs', { system: undefined, code: 'vital-signs' }],
    [
      `user/Condition.rs?category=${encodeURIComponent('http://hl7.org/fhir/us/core/CodeSystem/condition-category|health-concern')}`,
      { system: 'http://hl7.org/fhir/us/core/CodeSystem/condition-category', code: 'health-concern' },
    ],
  ])('granular %s', (text, category) => {
    const scope = parseResourceScope(text);
    expect(scope?.category).toEqual(category);
    expect(parseResourceScope(formatScope(scope as NonNullable<typeof scope>))).toEqual(scope);
  });

  it.each([
    ['patient/*.rs', `patient/Observation.rs?category=${LAB}`, true],
    ['patient/Observation.rs', 'patient/Observation.r?category=laboratory', true],
    [`patient/Observation.rs?category=${LAB}`, `patient/Observation.rs?category=${LAB}`, true],
    ['patient/Observation.rs?category=laboratory', `patient/Observation.rs?category=${LAB}`, true],
    [`patient/Observation.rs?category=${LAB}`, 'patient/Observation.rs?category=laboratory', false],
    [`patient/Observation.rs?category=${LAB}`, 'patient/Observation.rs', false],
    ['patient/Observation.r', 'patient/Observation.rs?category=laboratory', false],
    ['user/*.rs', 'patient/Observation.rs', false],
  ])('%s covers %s: %s', (wide, narrow, expected) => {
    const [w, n] = [parseResourceScope(wide), parseResourceScope(narrow)];
    expect(coversScope(w as NonNullable<typeof w>, n as NonNullable<typeof n>)).toBe(expected);
  });

  it('limits an interaction to the granular scopes categories unless a whole scope allows it', () => {
    const granular = parseScopes(`patient/Observation.rs?category=${LAB} patient/Observation.rs?category=vital-signs`);
    expect(categoryLimits(granular.resources, 'Observation', 'r')?.map((c) => c.code)).toEqual([
      'laboratory',
      'vital-signs',
    ]);
    expect(categoryLimits(granular.resources, 'Observation', 'c')).toEqual([]);
    expect(
      categoryLimits(parseScopes(`patient/Observation.rs?category=${LAB} patient/*.rs`).resources, 'Observation', 'r'),
    ).toBeUndefined();
    const lab = { category: [{ coding: [{ system: LAB.split('|')[0], code: 'laboratory' }] }] };
    const vitals = { category: [{ coding: [{ system: 'http://other.example.org', code: 'vital-signs' }] }] };
    const limits = categoryLimits(granular.resources, 'Observation', 'r') ?? [];
    expect(hasCategory(lab, limits)).toBe(true);
    expect(hasCategory(vitals, limits)).toBe(true);
    expect(
      hasCategory({ category: [{ coding: [{ system: 'http://other.example.org', code: 'laboratory' }] }] }, limits),
    ).toBe(false);
    expect(hasCategory({}, limits)).toBe(false);
  });
});
