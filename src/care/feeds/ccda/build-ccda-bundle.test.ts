import type { Composition, MedicationRequest, ServiceRequest } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildCcdaBundle, type CcdaExportInput } from './build-ccda-bundle.js';
import { readCcda, writeCcda } from './ccda-codec.js';

const base: CcdaExportInput = {
  type: 'ccd',
  compositionId: 'c1',
  at: '2026-12-03T10:00:00Z',
  patient: { resourceType: 'Patient', id: 'p1', name: [{ family: 'Quill', given: ['Ada'] }], birthDate: '1951-07-04' },
  author: undefined,
  custodian: undefined,
  practitioners: [],
  allergies: [],
  conditions: [
    { resourceType: 'Condition', id: 'c-prob', subject: { reference: 'Patient/p1' }, code: { text: 'Heart failure' } },
    {
      resourceType: 'Condition',
      id: 'c-concern',
      subject: { reference: 'Patient/p1' },
      code: { text: 'Lives alone' },
      category: [{ coding: [{ code: 'health-concern' }] }],
    },
  ],
  medicationStatements: [
    {
      resourceType: 'MedicationStatement',
      id: 's1',
      status: 'active',
      subject: { reference: 'Patient/p1' },
      medicationCodeableConcept: { text: 'Furosemide 40 mg' },
    },
  ],
  medicationRequests: [
    {
      resourceType: 'MedicationRequest',
      id: 'r1',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
    },
  ],
  results: [],
  vitalSigns: [],
  careTeams: [],
  carePlans: [],
  goals: [],
  immunizations: [],
  procedures: [],
  appointments: [
    { resourceType: 'Appointment', id: 'a1', status: 'booked', start: '2026-12-10T14:00:00Z', participant: [] },
  ],
  referral: undefined,
};

const sectionOf = (input: CcdaExportInput, code: string) =>
  ((buildCcdaBundle(input).entry?.[0]?.resource as Composition | undefined)?.section ?? []).find(
    (s) => s.code?.coding?.[0]?.code === code,
  );

describe('buildCcdaBundle', () => {
  it('lists the reconciled statements as the medicines, not the prescriptions', () => {
    expect(sectionOf(base, '10160-0')?.entry?.map((e) => e.reference)).toEqual(['MedicationRequest/s1']);
    const med = buildCcdaBundle(base).entry?.find((e) => e.resource?.id === 's1')?.resource as MedicationRequest;
    expect(med).toMatchObject({ resourceType: 'MedicationRequest', intent: 'plan', status: 'active' });
  });

  it('keeps health concerns apart from problems, and puts the follow-up visits in the plan', () => {
    expect(sectionOf(base, '11450-4')?.entry).toEqual([{ reference: 'Condition/c-prob' }]);
    expect(sectionOf(base, '75310-3')?.entry).toEqual([{ reference: 'Condition/c-concern' }]);
    expect(sectionOf(base, '18776-5')?.entry).toEqual([{ reference: 'ServiceRequest/a1' }]);
  });

  it('gives a transition its reason for referral, and writes a C-CDA that reads back', () => {
    const referral: ServiceRequest & { id: string } = {
      resourceType: 'ServiceRequest',
      id: 'sr1',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
      code: { text: 'Cardiology follow-up' },
    };
    const input = { ...base, type: 'transition' as const, referral };
    expect(sectionOf(input, '42349-1')?.entry).toEqual([{ reference: 'ServiceRequest/sr1' }]);
    const xml = writeCcda(buildCcdaBundle(input), 'transition');
    expect(xml).toContain('Cardiology follow-up');
    const back = readCcda(xml);
    expect(back.ok && back.document.patient.name?.[0]?.family).toBe('Quill');
  });
});
