import { describe, expect, it } from 'vitest';
import { encounterFromAdt, identifierSystem, patientFromAdt } from './adt-to-fhir.js';
import { parseHl7 } from './hl7-message.js';
import { type AdtEvent, readAdt } from './read-adt.js';

const adtOf = (text: string): AdtEvent => {
  const parsed = parseHl7(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  const reading = readAdt(parsed.message, 'America/New_York');
  if (!reading.ok) throw new Error(reading.problem.text);
  return reading.adt;
};

const message = (event: string, pv1: string) =>
  `MSH|^~\\&|ADT|MERCY|CARELOOP|CLINIC|20261201090000||ADT^${event}|c-${event}|P|2.5.1\rPID|1||M123^^^MERCY^MR~999-00-1234^^^SSA^SS||Brennan^Harold^J||19480312|M\r${pv1}`;

describe('identifierSystem', () => {
  it.each([
    ['2.16.840.1.113883.19', 'MERCY', 'urn:oid:2.16.840.1.113883.19'],
    ['MERCY', 'X', 'http://careloop.org/fhir/sid/hl7v2/MERCY'],
    [undefined, 'ST FRANCIS', 'http://careloop.org/fhir/sid/hl7v2/ST%20FRANCIS'],
  ])('%s from %s: %s', (authority, facility, expected) => expect(identifierSystem(authority, facility)).toBe(expected));
});

describe('patientFromAdt', () => {
  it('maps PID: identifiers with their types, name, sex and birth date', () => {
    const patient = patientFromAdt(adtOf(message('A01', 'PV1|1|I')), 'p1');
    expect(patient).toMatchObject({
      id: 'p1',
      name: [{ family: 'Brennan', given: ['Harold', 'J'] }],
      gender: 'male',
      birthDate: '1948-03-12',
    });
    expect(patient.identifier?.map((i) => `${i.type?.coding?.[0]?.code} ${i.system} ${i.value}`)).toEqual([
      'MR http://careloop.org/fhir/sid/hl7v2/MERCY M123',
      'SS http://careloop.org/fhir/sid/hl7v2/SSA 999-00-1234',
    ]);
  });
});

describe('encounterFromAdt', () => {
  const pv1 = (klass: string, admit = '202612010800', discharge = '', disposition = '') =>
    `PV1|1|${klass}|4E^401^A^MERCY||||1234^Okafor^Grace|||||||7|||||V777^^^MERCY^VN${'|'.repeat(17)}${disposition}${'|'.repeat(8)}${admit}|${discharge}`;

  it.each([
    ['A01', 'I', '', '', 'in-progress', 'IMP', undefined],
    ['A01', 'E', '', '', 'in-progress', 'EMER', undefined],
    ['A04', 'O', '', '', 'arrived', 'AMB', undefined],
    ['A03', 'I', '202612041500', '01', 'finished', 'IMP', 'home'],
    ['A03', 'I', '202612041500', '06', 'finished', 'IMP', 'hh'],
    ['A03', 'I', '202612041500', '03', 'finished', 'IMP', 'snf'],
    ['A03', 'I', '202612041500', '', 'finished', 'IMP', 'oth'],
  ])(
    '%s class %s discharged %j to %j: %s, %s, %s',
    (event, klass, discharge, disposition, status, code, fhirDisposition) => {
      const encounter = encounterFromAdt(
        adtOf(message(event, pv1(klass, '202612010800', discharge, disposition))),
        'e1',
        'p1',
        undefined,
      );
      expect(encounter.status).toBe(status);
      expect(encounter.class.code).toBe(code);
      expect(encounter.hospitalization?.dischargeDisposition?.coding?.[0]?.code).toBe(fhirDisposition);
      expect(encounter.subject?.reference).toBe('Patient/p1');
      expect(encounter.period?.start).toBe('2026-12-01T13:00:00.000Z');
      expect(encounter.identifier?.[0]).toMatchObject({
        system: 'http://careloop.org/fhir/sid/hl7v2/MERCY/visit',
        value: 'V777',
      });
      expect(encounter.participant?.[0]?.individual?.display).toBe('Grace Okafor');
      expect(encounter.location?.[0]?.location.display).toBe('4E 401 A MERCY');
    },
  );

  it('A13 reopens a discharged stay; A11 cancels it; A08 keeps what it does not say', () => {
    const discharged = encounterFromAdt(
      adtOf(message('A03', pv1('I', '202612010800', '202612041500', '01'))),
      'e1',
      'p1',
      undefined,
    );
    const reopened = encounterFromAdt(adtOf(message('A13', pv1('I'))), 'e1', 'p1', discharged);
    expect(reopened.status).toBe('in-progress');
    expect(reopened.period?.end).toBeUndefined();
    expect(reopened.hospitalization?.dischargeDisposition).toBeUndefined();
    expect(encounterFromAdt(adtOf(message('A11', pv1('I'))), 'e1', 'p1', reopened).status).toBe('cancelled');
    const updated = encounterFromAdt(adtOf(message('A08', pv1('I', ''))), 'e1', 'p1', discharged);
    expect(updated).toMatchObject({
      status: 'finished',
      period: { start: discharged.period?.start, end: discharged.period?.end },
    });
  });
});

it('writes no empty element: a registration with no admit source nor disposition has no hospitalization', () => {
  const encounter = encounterFromAdt(
    adtOf(message('A04', 'PV1|1|O|||||||||||||||||V1^^^MERCY^VN')),
    'e1',
    'p1',
    undefined,
  );
  expect(encounter.hospitalization).toBeUndefined();
  expect(JSON.stringify(encounter)).not.toMatch(/\{\}/);
});
