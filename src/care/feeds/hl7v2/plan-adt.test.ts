import type { Encounter, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseHl7 } from './hl7-message.js';
import { planAdt, sameContent } from './plan-adt.js';
import { type AdtEvent, readAdt } from './read-adt.js';

const adtOf = (event: string, pid = 'PID|1||M1^^^MERCY^MR||Quill^Ada||19510704|F'): AdtEvent => {
  const parsed = parseHl7(
    `MSH|^~\\&|EPIC|MERCY|||20261201||ADT^${event}|c1|P|2.5.1\r${pid}\rPV1|1|I|4E||||||||||||||||V1^^^MERCY^VN`,
  );
  if (!parsed.ok) throw new Error(parsed.reason);
  const reading = readAdt(parsed.message, 'America/New_York');
  if (!reading.ok) throw new Error(reading.problem.text);
  return reading.adt;
};

let n = 0;
const newId = () => `id-${++n}`;
const nothing = { byIdentifier: [], byDemographics: [], encounter: undefined };

describe('planAdt', () => {
  it('registers a stranger and opens the stay', () => {
    const plan = planAdt(adtOf('A01'), nothing, newId);
    expect(plan.kind).toBe('apply');
    if (plan.kind !== 'apply') return;
    expect(plan.bundle.entry?.map((e) => e.request?.url)).toEqual([
      `Patient/${plan.patientId}`,
      `Encounter/${plan.encounterId}`,
    ]);
  });

  it('puts a patient it registers on the feed organization’s panel, and leaves a known one as it is', () => {
    const plan = planAdt(adtOf('A01'), nothing, newId, undefined, 'Organization/clinic');
    const patient = plan.kind === 'apply' ? (plan.bundle.entry?.[0]?.resource as Patient) : undefined;
    expect(patient?.managingOrganization).toEqual({ reference: 'Organization/clinic' });
    const known: Patient = {
      resourceType: 'Patient',
      id: 'k',
      identifier: [{ system: 'http://careloop.org/fhir/sid/hl7v2/MERCY', value: 'M1' }],
      name: [{ family: 'Quill' }],
      birthDate: '1951-07-04',
    };
    const again = planAdt(
      adtOf('A01'),
      { byIdentifier: [known], byDemographics: [], encounter: undefined },
      newId,
      undefined,
      'Organization/clinic',
    );
    const written =
      again.kind === 'apply'
        ? (again.bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient | undefined)
        : undefined;
    expect(written?.managingOrganization).toBeUndefined();
  });

  it('writes nothing again for a message that changes nothing', () => {
    const first = planAdt(adtOf('A01'), nothing, newId);
    if (first.kind !== 'apply') throw new Error('not applied');
    const [patient, encounter] = (first.bundle.entry ?? []).map((e) => e.resource) as [Patient, Encounter];
    const again = planAdt(adtOf('A01'), { byIdentifier: [patient], byDemographics: [], encounter }, newId);
    expect(again.kind === 'apply' && again.bundle.entry).toEqual([]);
  });

  it.each([
    [
      'two patients hold the identifiers',
      {
        byIdentifier: [
          { resourceType: 'Patient', id: 'a' },
          { resourceType: 'Patient', id: 'b' },
        ] as Patient[],
        byDemographics: [],
      },
    ],
    [
      'the identifier is known under another birth date',
      {
        byIdentifier: [{ resourceType: 'Patient', id: 'a', birthDate: '1950-01-01' }] as Patient[],
        byDemographics: [],
      },
    ],
    [
      'the name and birth date are known under another identifier',
      { byIdentifier: [], byDemographics: [{ resourceType: 'Patient', id: 'a' }] as Patient[] },
    ],
  ])('holds for review when %s', (_, found) => {
    expect(planAdt(adtOf('A01'), { ...found, encounter: undefined }, newId).kind).toBe('review');
  });

  it('holds a merge for review', () => {
    const parsed = parseHl7(
      'MSH|^~\\&|EPIC|MERCY|||20261201||ADT^A40|c9|P|2.5.1\rPID|1||M1^^^MERCY^MR\rMRG|M0^^^MERCY^MR',
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    const reading = readAdt(parsed.message, 'America/New_York');
    expect(reading.ok && planAdt(reading.adt, nothing, newId).kind).toBe('review');
  });

  const doubted = {
    byIdentifier: [],
    byDemographics: [{ resourceType: 'Patient', id: 'a' }] as Patient[],
    encounter: undefined,
  };

  it('applies to the linked patient once a coordinator links it, adding the identifier', () => {
    const linked: Patient = { resourceType: 'Patient', id: 'a', name: [{ family: 'Other' }] };
    const plan = planAdt(adtOf('A01'), doubted, newId, { link: linked });
    expect(plan.kind === 'apply' && plan.patientId).toBe('a');
    if (plan.kind !== 'apply') return;
    const patient = plan.bundle.entry?.[0]?.resource as Patient;
    // An admission does not rename the patient; it only teaches Careloop the hospital's number.
    expect(patient.name?.[0]?.family).toBe('Other');
    expect(patient.identifier?.map((i) => i.value)).toEqual(['M1']);
  });

  it('registers a new patient when a coordinator says so, unless another holds the identifiers', () => {
    const plan = planAdt(adtOf('A01'), doubted, newId, { create: true });
    expect(plan.kind === 'apply' && plan.patientId).not.toBe('a');
    const held = { ...doubted, byIdentifier: [{ resourceType: 'Patient', id: 'b' }] as Patient[] };
    expect(planAdt(adtOf('A01'), held, newId, { create: true })).toMatchObject({ kind: 'refuse', segment: 'PID' });
  });
});

describe('sameContent', () => {
  it.each([
    [{ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, true],
    [{ a: 1, meta: { versionId: '1' } }, { a: 1, meta: { versionId: '2' } }, true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    [{ a: 1 }, { a: 2 }, false],
  ])('%j ~ %j: %s', (a, b, same) => expect(sameContent(a, b)).toBe(same));
});
