import { describe, expect, it } from 'vitest';
import { grantScopes, parseResourceScope, parseScopes, scopesAllow } from './smart-scopes.js';

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
    'patient/Observation.rs?category=laboratory',
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
  });
});
