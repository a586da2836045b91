// The role policies as a table: what each role may reach and do at most, attacked row by row (the
// HTTP tests in test/security show the same rules hold end to end).
import { describe, expect, it } from 'vitest';
import { isInternalNote } from './internal-notes.js';
import { includesType, ROLE_POLICIES } from './role-policies.js';
import { ACT_CODE, CONFIDENTIALITY, isSensitiveLabel } from './sensitive-labels.js';

describe('who reaches which patients, and how far', () => {
  it.each([
    ['patient', 'self', 'own-record', false],
    ['caregiver', 'proxy', 'with-consent', false],
    ['coordinator', 'care-team-and-panel', 'with-consent', true],
    ['physician', 'care-team', 'with-consent', true],
    ['pharmacist', 'care-team', 'with-consent', true],
    ['partner', 'referrals', 'none', false],
    ['admin', 'none', 'none', false],
    ['system', 'all', 'all', false],
  ] as const)('%s: reach %s, sensitive records %s, break-glass %s', (role, reach, sensitive, breakGlass) => {
    const p = ROLE_POLICIES[role];
    expect([p.reach, p.sensitive, p.breakGlass]).toEqual([reach, sensitive, breakGlass]);
  });
});

describe('what a role may write at most', () => {
  it.each([
    ['partner', 'Task', true],
    ['partner', 'Condition', false],
    ['partner', 'MedicationRequest', false],
    ['patient', 'Condition', false],
    ['admin', 'Observation', true],
    ['coordinator', 'Observation', true],
  ] as const)('%s writes %s: %s', (role, type, may) => {
    expect(includesType(ROLE_POLICIES[role].writeTypes, type)).toBe(may);
  });
  it.each([
    ['patient', false, false],
    ['caregiver', false, false],
    ['coordinator', false, true], // staff register patients and keep their ownership fields
    ['physician', true, true],
    ['partner', false, false],
    ['system', true, true],
  ] as const)('%s removes labels %s, changes ownership %s', (role, labels, ownership) => {
    expect([ROLE_POLICIES[role].removeLabels, ROLE_POLICIES[role].changeOwnership]).toEqual([labels, ownership]);
  });
});

describe('sensitive labels and internal notes', () => {
  it.each([
    [CONFIDENTIALITY, 'R', true],
    [CONFIDENTIALITY, 'N', false],
    [ACT_CODE, '42CFRPart2', true],
    [ACT_CODE, 'HIV', true],
    [ACT_CODE, 'OBS', false],
    ['http://example.org/other', 'R', false],
  ])('%s|%s is sensitive: %s', (system, code, sensitive) => {
    expect(isSensitiveLabel({ system, code })).toBe(sensitive);
  });
  it.each([
    [
      {
        category: [
          { coding: [{ system: 'http://careloop.org/fhir/CodeSystem/communication-category', code: 'internal-note' }] },
        ],
      },
      true,
    ],
    [{ category: [{ coding: [{ system: 'http://example.org/other', code: 'internal-note' }] }] }, false],
    [
      {
        category: [
          { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/communication-category', code: 'reminder' }] },
        ],
      },
      false,
    ],
    [{}, false],
    [undefined, false],
  ])('%j is an internal note: %s', (communication, internal) => {
    expect(isInternalNote(communication)).toBe(internal);
  });
});
