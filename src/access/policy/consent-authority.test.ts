import type { Consent, RelatedPerson } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { type ConsentAuthor, consentWriteProblem, hasLegalAuthority, sensitiveGrants } from './consent-authority.js';

const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const consent = (actors: string[], label = 'ETH', extra: Partial<Consent> = {}): Consent => ({
  resourceType: 'Consent',
  status: 'active',
  scope: { text: 'privacy' },
  category: [{ text: 'consent' }],
  patient: { reference: 'Patient/p' },
  provision: {
    type: 'deny',
    provision: [
      {
        type: 'permit',
        actor: actors.map((a) => ({ role: { text: 'recipient' }, reference: { reference: a } })),
        securityLabel: [{ system: ACT, code: label }],
      },
    ],
  },
  ...extra,
});
const FORM = { sourceAttachment: { contentType: 'application/pdf', title: 'form' } };

const patient: ConsentAuthor = { kind: 'patient', references: ['Patient/p'] };
const carer = (legalAuthority: boolean): ConsentAuthor => ({
  kind: 'representative',
  references: ['RelatedPerson/r'],
  legalAuthority,
});
const staff: ConsentAuthor = { kind: 'staff', references: ['Practitioner/me', 'Organization/clinic'] };

describe('consentWriteProblem', () => {
  it.each<[string, ConsentAuthor, Consent | undefined, Consent | undefined, string | undefined]>([
    ['the patient grants anyone', patient, undefined, consent([]), undefined],
    ['the patient grants a clinician', patient, undefined, consent(['Practitioner/x']), undefined],
    ['a caregiver without authority', carer(false), undefined, consent(['Practitioner/x']), 'legal authority'],
    ['a caregiver with authority, to a clinician', carer(true), undefined, consent(['Practitioner/x']), undefined],
    [
      'a caregiver with authority, to herself',
      carer(true),
      undefined,
      consent(['RelatedPerson/r']),
      'cannot be recorded by you',
    ],
    ['a caregiver with authority, to everyone', carer(true), undefined, consent([]), 'cannot be recorded by you'],
    ['staff without the form', staff, undefined, consent(['Practitioner/x']), 'signed form'],
    ['staff with the form, for a colleague', staff, undefined, consent(['Practitioner/x'], 'ETH', FORM), undefined],
    [
      'staff with a referenced form',
      staff,
      undefined,
      consent(['Practitioner/x'], 'ETH', { sourceReference: { reference: 'DocumentReference/d' } }),
      undefined,
    ],
    [
      'staff with the form, for themselves',
      staff,
      undefined,
      consent(['Practitioner/me'], 'ETH', FORM),
      'cannot be recorded by you',
    ],
    [
      'staff with the form, for their organization',
      staff,
      undefined,
      consent(['Organization/clinic'], 'ETH', FORM),
      'cannot be recorded by you',
    ],
    ['staff with the form, for everyone', staff, undefined, consent([], 'ETH', FORM), 'cannot be recorded by you'],
    [
      'staff withdrawing',
      staff,
      consent(['Practitioner/me']),
      { ...consent(['Practitioner/me']), status: 'inactive' },
      undefined,
    ],
    ['staff deleting', staff, consent(['Practitioner/me']), undefined, undefined],
    [
      'staff keeping what the patient gave',
      staff,
      consent(['Practitioner/me']),
      { ...consent(['Practitioner/me']), dateTime: '2026-01-01' },
      undefined,
    ],
    [
      'staff reactivating a withdrawn grant to themselves',
      staff,
      { ...consent(['Practitioner/me']), status: 'inactive' },
      consent(['Practitioner/me'], 'ETH', FORM),
      'cannot be recorded by you',
    ],
    ['staff permitting a label that is not sensitive', staff, undefined, consent(['Practitioner/me'], 'N'), undefined],
  ])('%s', (_name, author, previous, next, problem) => {
    const found = consentWriteProblem(author, previous, next);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

describe('sensitiveGrants', () => {
  it('reads nested permits, and nothing of a consent that is not active', () => {
    expect([...sensitiveGrants(consent(['Practitioner/x']))]).toEqual([`${ACT}|ETH Practitioner/x`]);
    expect([...sensitiveGrants(consent([]))]).toEqual([`${ACT}|ETH *`]);
    expect(sensitiveGrants({ ...consent(['Practitioner/x']), status: 'proposed' }).size).toBe(0);
  });
});

describe('hasLegalAuthority', () => {
  const person = (code: string): RelatedPerson => ({
    resourceType: 'RelatedPerson',
    patient: { reference: 'Patient/p' },
    relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code }] }],
  });
  it.each([
    ['HPOWATT', true],
    ['DPOWATT', true],
    ['POWATT', true],
    ['GUARD', true],
    ['RESPRSN', true],
    ['SPOWATT', false],
    ['GUADLTM', false],
    ['DAU', false],
    ['NOK', false],
  ])('%s: %s', (code, expected) => {
    expect(hasLegalAuthority(person(code))).toBe(expected);
  });
});
