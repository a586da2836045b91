// Every ADT sample of ../shared/data/hl7v2 read as Careloop acts on it, and the malformed ones
// refused with the segment and field to blame (the ACK's ERR segment).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../../../test/support/shared-data.js';
import { buildAck, parseHl7, problemOfAck } from './hl7-message.js';
import { readAdt } from './read-adt.js';

const read = (file: string) => {
  const parsed = parseHl7(readFileSync(join(sharedDataDir(), 'hl7v2', file), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.reason);
  return { message: parsed.message, reading: readAdt(parsed.message, 'America/New_York') };
};

describe('readAdt on the shared samples', () => {
  it.each([
    // file, event, first identifier (value/authority), family, birth date, visit number, class, admitted, discharged, disposition
    [
      'A01__msft-fhir-converter__ADT-A01-01.hl7',
      'A01',
      'PATID1234/test1',
      'EVERYMAN',
      '1988-08-18',
      '40007716',
      'P',
      '2015-02-08T10:24:19.000Z',
      undefined,
      'Admitted as Inpatient',
    ],
    [
      'A03__msft-fhir-converter__ADT-A03-01.hl7',
      'A03',
      'PATID1234/test1',
      'EVERYMAN',
      '1988-08-18',
      '40007716',
      'P',
      '2015-02-08T10:24:19.000Z',
      '2015-02-09T10:24:19.000Z',
      'Admitted as Inpatient',
    ],
    [
      'A01__msft-fhir-converter__ADT01-23.hl7',
      'A01',
      '10006579/1',
      'DUCK',
      '1924-10-10',
      '40007716',
      'I',
      '2005-01-09T21:55:02.000Z',
      undefined,
      undefined,
    ],
    [
      'A01__google-simhospital__messages-out_msg006.hl7',
      'A01',
      '1076943130/SIMULATOR MRN',
      'Trivedi',
      '1937-12-27',
      '4637913778641671097',
      'I',
      '2020-05-08T17:06:44.000Z',
      undefined,
      undefined,
    ],
    [
      'A01__cdc-trusted-intermediary__001_ADT_A01.hl7',
      'A01',
      'PATID1234/ADT1',
      'DOGCOW',
      '1961-06-15',
      undefined,
      'I',
      undefined,
      undefined,
      undefined,
    ],
    [
      'A04__google-hdh__adt_a04_ex1.hl7',
      'A04',
      '19050114293307.1082/undefined',
      'BUNNY',
      '1983-02-15',
      undefined,
      'E',
      '2018-03-01T06:00:00.000Z',
      undefined,
      undefined,
    ],
    [
      'A06__msft-fhir-converter__ADT-A06-01.hl7',
      'A06',
      'PATID1234/ADT1',
      'EVERYMAN',
      '1961-06-15',
      '5001',
      'I',
      '2021-01-15T13:45:10.000Z',
      undefined,
      undefined,
    ],
    [
      'A08__google-hdh__adt_a08_ex1.hl7',
      'A08',
      '151/undefined',
      'Bond',
      '1999-07-23',
      undefined,
      'R',
      undefined,
      undefined,
      undefined,
    ],
    [
      'A11__msft-fhir-converter__ADT-A11-01.hl7',
      'A11',
      'PATID1234/test1',
      'EVERYMAN',
      '1988-08-18',
      '40007716',
      'P',
      '2015-02-08T10:24:19.000Z',
      undefined,
      'Admitted as Inpatient',
    ],
    [
      'A13__msft-fhir-converter__ADT-A13-01.hl7',
      'A13',
      'PATID1234/test1',
      'EVERYMAN',
      '1988-08-18',
      '40007716',
      'P',
      '2015-02-08T10:24:19.000Z',
      undefined,
      'Admitted as Inpatient',
    ],
  ])(
    '%s',
    (file, event, identifier, family, birthDate, visitNumber, patientClass, admitted, discharged, disposition) => {
      const { reading } = read(file);
      if (!reading.ok) throw new Error(JSON.stringify(reading.problem));
      const { adt } = reading;
      expect(adt.event).toBe(event);
      const [first] = adt.patient.identifiers;
      expect(`${first?.value}/${first?.authority}`).toBe(identifier);
      expect(adt.patient.family).toBe(family);
      expect(adt.patient.birthDate).toBe(birthDate);
      expect(adt.visit?.number?.value).toBe(visitNumber);
      expect(adt.visit?.patientClass).toBe(patientClass);
      expect(adt.visit?.admitted).toBe(admitted);
      expect(adt.visit?.discharged).toBe(discharged);
      expect(adt.visit?.disposition?.code).toBe(disposition);
    },
  );

  it('reads allergies, diagnoses and the merged identifiers of an A40', () => {
    const admit = read('A01__google-hdh__adt_a01.hl7').reading;
    expect(admit.ok && admit.adt.allergies.map((a) => a.display ?? a.code)).toHaveLength(4);
    const merge = read('A40__msft-fhir-converter__ADT-A40-01.hl7').reading;
    expect(merge.ok && merge.adt.mergedIdentifiers.map((i) => `${i.value}/${i.authority}`)).toEqual(['56789/BCBS']);
  });
});

describe('what is refused', () => {
  it.each([
    ['malformed__missing-required-PID__from-msft-ADT-A03-02.hl7', 'AE', 'PID', undefined],
    ['malformed__truncated-inside-PID__from-cdc-001_ADT_A01.hl7', 'AE', 'PV1', undefined],
  ])('%s: %s naming %s-%s', (file, ack, segment, field) => {
    const { reading } = read(file);
    expect(reading.ok).toBe(false);
    if (reading.ok) return;
    expect(reading.ack).toBe(ack);
    expect(reading.problem.segment).toBe(segment);
    expect(reading.problem.field).toBe(field);
  });

  it('a text that is no HL7 message at all', () => {
    const parsed = parseHl7(
      readFileSync(
        join(sharedDataDir(), 'hl7v2', 'malformed__no-MSH-segment__from-google-hdh-adt_a08_ex1.hl7'),
        'utf8',
      ),
    );
    expect(parsed).toEqual({ ok: false, reason: 'The message does not start with an MSH segment' });
  });

  it.each([
    ['MSH|^~\\&|LAB|HOSP|||20240101||ORU^R01|1|P|2.5\rPID|1||1^^^H^MR', 'AR', 'MSH', 9, '200'],
    ['MSH|^~\\&|ADT|HOSP|||20240101||ADT^A31|1|P|2.5\rPID|1||1^^^H^MR', 'AR', 'MSH', 9, '201'],
    ['MSH|^~\\&|ADT|HOSP|||20240101||ADT^A01||P|2.5\rPID|1||1^^^H^MR\rPV1|1|I', 'AE', 'MSH', 10, '101'],
    ['MSH|^~\\&|ADT|HOSP|||20240101||ADT^A01|9|P|2.5\rPID|1||\rPV1|1|I', 'AE', 'PID', 3, '101'],
    [
      'MSH|^~\\&|ADT|HOSP|||20240101||ADT^A01|9|P|2.5\rPID|1||1^^^H^MR||Doe^Jo||19991399\rPV1|1|I',
      'AE',
      'PID',
      7,
      '102',
    ],
    [
      `MSH|^~\\&|ADT|HOSP|||20240101||ADT^A03|9|P|2.5\rPID|1||1^^^H^MR\rPV1|1|I${'|'.repeat(43)}yesterday`,
      'AE',
      'PV1',
      45,
      '102',
    ],
    ['MSH|^~\\&|ADT|HOSP|||20240101||ADT^A01|9|P|2.5\rPID|1||1^^^H^MR\rPV1|1|', 'AE', 'PV1', 2, '101'],
    ['MSH|^~\\&|ADT|HOSP|||20240101||ADT^A40|9|P|2.5\rPID|1||1^^^H^MR', 'AE', 'MRG', 1, '101'],
  ])('%j: %s at %s-%s (%s)', (text, ack, segment, field, code) => {
    const parsed = parseHl7(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    const reading = readAdt(parsed.message, 'America/New_York');
    expect(reading).toMatchObject({ ok: false, ack, problem: { segment, field, code } });
    // The acknowledgement names it: MSA-1 the code, MSA-2 the control id, ERR-2 the place, ERR-3 the code.
    if (reading.ok) return;
    const ackText = buildAck(parsed.message, reading.ack, reading.problem);
    const [, msa, err] = ackText.split('\r');
    expect(msa?.split('|')[1]).toBe(ack);
    expect(err?.split('|')[2]).toBe(`${segment}^1${field === undefined ? '' : `^${field}`}`);
    expect(err?.split('|')[3]?.startsWith(code)).toBe(true);
  });
});

describe('problemOfAck', () => {
  it('reads where and why from the ERR segment of an AE', () => {
    const parsed = parseHl7('MSH|^~\\&|EPIC|MERCY|||20261201||ADT^A01|c1|P|2.5.1\rPID|1');
    if (!parsed.ok) throw new Error(parsed.reason);
    const ack = buildAck(parsed.message, 'AE', {
      segment: 'PV1',
      field: 19,
      code: '101',
      text: 'PV1-19 | is required',
    });
    expect(problemOfAck(ack)).toEqual({ where: 'PV1-19', text: 'PV1-19 | is required' });
    expect(problemOfAck(buildAck(parsed.message, 'AA'))).toBeUndefined();
  });
});
