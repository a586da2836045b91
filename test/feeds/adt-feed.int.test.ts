// A hospital's ADT feed over a real MLLP socket: an admission (A01) registers the patient and opens
// the transition episode, a resend changes nothing and gets the same ACK, a discharge (A03) to home
// moves the episode to post-discharge with its TCM clock. Refused: a message without PID (AE naming
// it), a lab result (AR), a stay without a visit number (AE PV1-19). A patient with the same name and
// birth date under another identifier is held for review, nothing written. Each is kept and audited.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Encounter, EpisodeOfCare, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { phaseOf, readEpisode } from '../../src/care/transitions/episode-resources.js';
import { sendMllp } from '../../src/server/mllp/mllp-transport.js';
import { sendRawMllp } from '../support/raw-mllp.js';
import { sharedDataDir } from '../support/shared-data.js';
import { http, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * What each shared sample gets back. Refused (AE): the two CDC admissions carry no visit number
 * (PV1-19), without which a discharge could never find its admission; the malformed three. The
 * Microsoft samples share one control id (MSG00001) across different events: not taken as resends.
 */
const EXPECTED_ACKS: Record<string, string> = {
  'A01__cdc-trusted-intermediary__001_ADT_A01.hl7': 'AE',
  'A01__cdc-trusted-intermediary__005_MN_ADT_A01.hl7': 'AE',
  'A01__google-hdh__adt_a01.hl7': 'AA',
  'A01__google-simhospital__messages-out_msg006.hl7': 'AA',
  'A01__msft-fhir-converter__ADT-A01-01.hl7': 'AA',
  'A01__msft-fhir-converter__ADT01-23.hl7': 'AA',
  'A02__msft-fhir-converter__ADT-A02-01.hl7': 'AA',
  'A03__msft-fhir-converter__ADT-A03-01.hl7': 'AA',
  'A04__google-hdh__adt_a04_ex1.hl7': 'AA',
  'A04__msft-fhir-converter__ADT-A04-01.hl7': 'AA',
  'A04__msft-fhir-converter__ADT04-28.hl7': 'AA',
  'A06__msft-fhir-converter__ADT-A06-01.hl7': 'AA',
  'A08__google-hdh__adt_a08_ex1.hl7': 'AA',
  'A08__msft-fhir-converter__ADT-A08-01.hl7': 'AA',
  'A11__msft-fhir-converter__ADT-A11-01.hl7': 'AA',
  'A13__msft-fhir-converter__ADT-A13-01.hl7': 'AA',
  'A40__msft-fhir-converter__ADT-A40-01.hl7': 'AA',
  'A40__msft-fhir-converter__ADT-A40-02.hl7': 'AA',
  'malformed__missing-required-PID__from-msft-ADT-A03-02.hl7': 'AE',
  'malformed__no-MSH-segment__from-google-hdh-adt_a08_ex1.hl7': 'AE',
  'malformed__truncated-inside-PID__from-cdc-001_ADT_A01.hl7': 'AE',
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ mllp: true });
});
afterAll(() => server?.close());

const day = (offset: number) => {
  const d = new Date(server.clock.now() + offset * 86_400_000);
  return d.toISOString().slice(0, 10).replace(/-/g, '');
};

const adt = (event: string, control: string, pv1: string, pid = 'PID|1||MRN-501^^^MERCY^MR||Quill^Ada^M||19510704|F') =>
  `MSH|^~\\&|EPIC|MERCY|CARELOOP|CLINIC|${day(0)}0900||ADT^${event}|${control}|P|2.5.1\r${pid}\r${pv1}`;

const pv1 = (admit: string, discharge = '', disposition = '') =>
  `PV1|1|I|4E^401^A^MERCY||||1234^Okafor^Grace|||||||7|||||V-9001^^^MERCY^VN${'|'.repeat(17)}${disposition}${'|'.repeat(8)}${admit}|${discharge}`;

const send = (text: string) => sendMllp('127.0.0.1', server.mllpPort as number, text);
const sendBytes = (text: string) => sendRawMllp(server.mllpPort as number, text);
const msa = (ack: string) =>
  ack
    .split('\r')
    .find((s) => s.startsWith('MSA'))
    ?.split('|') ?? [];
const err = (ack: string) =>
  ack
    .split('\r')
    .find((s) => s.startsWith('ERR'))
    ?.split('|') ?? [];

const search = async <T>(query: string): Promise<T[]> =>
  ((await http<Bundle>('GET', `${server.fhir}/${query}`)).body.entry ?? []).map((e) => e.resource as T);

it('admits, ignores a resend, and discharges: the transition engine runs on the feed', async () => {
  const clinical = '\rDG1|1||I50.9^Heart failure, unspecified^I10\rAL1|1|DA|70618^Penicillin^RXNORM|SV|Hives';
  const admit = adt('A01', 'ctl-1', pv1(`${day(-2)}0800`) + clinical);
  const ack = await send(admit);
  expect(msa(ack).slice(0, 3)).toEqual(['MSA', 'AA', 'ctl-1']);
  const [patient, ...others] = await search<Patient>(
    'Patient?identifier=http://careloop.org/fhir/sid/hl7v2/MERCY|MRN-501',
  );
  expect(others).toEqual([]);
  expect(patient).toMatchObject({
    name: [{ family: 'Quill', given: ['Ada', 'M'] }],
    birthDate: '1951-07-04',
    gender: 'female',
  });
  const [stay] = await search<Encounter>(`Encounter?patient=${patient?.id}`);
  expect(stay).toMatchObject({ status: 'in-progress', class: { code: 'IMP' } });
  const [episode] = await search<EpisodeOfCare>(`EpisodeOfCare?patient=${patient?.id}`);
  expect(episode && phaseOf(episode)).toBe('admitted');

  // The same message again (a sender that did not see the ACK): the same ACK, nothing new.
  expect(await send(admit)).toBe(ack);
  expect(await search<Encounter>(`Encounter?patient=${patient?.id}`)).toHaveLength(1);
  expect(await search<EpisodeOfCare>(`EpisodeOfCare?patient=${patient?.id}`)).toHaveLength(1);

  const discharge = await send(adt('A03', 'ctl-2', pv1(`${day(-2)}0800`, `${day(0)}1000`, '01') + clinical));
  expect(msa(discharge)[1]).toBe('AA');
  const [after] = await search<Encounter>(`Encounter?patient=${patient?.id}`);
  expect(after).toMatchObject({
    status: 'finished',
    hospitalization: { dischargeDisposition: { coding: [{ code: 'home' }] } },
  });
  const [discharged] = await search<EpisodeOfCare>(`EpisodeOfCare?patient=${patient?.id}`);
  expect(discharged && phaseOf(discharged)).toBe('post-discharge');
  expect(discharged && readEpisode(discharged).tcm).toBeDefined();

  // DG1 and AL1, sent twice (with the admission and the discharge), are kept once each.
  const conditions = await search<{ code: { coding: { system: string; code: string }[] } }>(
    `Condition?patient=${patient?.id}`,
  );
  expect(conditions.map((c) => `${c.code.coding[0]?.system}|${c.code.coding[0]?.code}`)).toEqual([
    'http://hl7.org/fhir/sid/icd-10-cm|I50.9',
  ]);
  const allergies = await search<{ criticality?: string; category?: string[] }>(
    `AllergyIntolerance?patient=${patient?.id}`,
  );
  expect(allergies).toHaveLength(1);
  expect(allergies[0]).toMatchObject({ criticality: 'high', category: ['medication'] });

  // Kept, and in the audit log under the feed's name.
  expect((await server.store.feeds.getFeedMessage('EPIC^MERCY|ctl-1'))?.outcome).toBe('applied');
  const audit = await server.store.audit.search({ kind: 'hl7v2', username: 'feed EPIC^MERCY', count: 20, offset: 0 });
  expect(audit.entries.map((e) => `${e.entry.action} ${e.entry.entity}`)).toEqual(
    expect.arrayContaining(['C hl7v2/ADT^A01', 'C hl7v2/ADT^A03']),
  );
  expect(audit.entries.every((e) => e.entry.patients.includes(patient?.id as string))).toBe(true);
});

it('refuses what it cannot apply, naming the segment and field, and writes nothing', async () => {
  const before = (await search<Patient>('Patient?_count=100')).length;
  const noPid = readFileSync(
    join(sharedDataDir(), 'hl7v2', 'malformed__missing-required-PID__from-msft-ADT-A03-02.hl7'),
    'utf8',
  );
  const refused = await send(noPid);
  expect(msa(refused)[1]).toBe('AE');
  expect(err(refused)[2]).toBe('PID^1');
  const lab = await send('MSH|^~\\&|LAB|MERCY|||20261201||ORU^R01|lab-1|P|2.5.1\rPID|1||X^^^MERCY^MR');
  expect(msa(lab)[1]).toBe('AR');
  const noVisit = await send(adt('A01', 'ctl-novisit', 'PV1|1|I|4E'));
  expect(msa(noVisit)[1]).toBe('AE');
  expect(err(noVisit)[2]).toBe('PV1^1^19');
  expect((await search<Patient>('Patient?_count=100')).length).toBe(before);
});

it('holds a doubtful patient for review: same name and birth date under another identifier', async () => {
  const ack = await send(
    adt(
      'A01',
      'ctl-doubt',
      pv1(`${day(-1)}0800`).replace('V-9001', 'V-9002'),
      'PID|1||OTHER-77^^^STFRANCIS^MR||Quill^Ada||19510704|F',
    ),
  );
  expect(msa(ack)[1]).toBe('AA');
  expect((await server.store.feeds.getFeedMessage('EPIC^MERCY|ctl-doubt'))?.outcome).toBe('review');
  expect(await search<Patient>('Patient?identifier=OTHER-77')).toEqual([]);
  expect(await search<Encounter>('Encounter?identifier=V-9002')).toEqual([]);
});

it('answers every shared sample as expected, over the socket', async () => {
  const dir = join(sharedDataDir(), 'hl7v2');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.hl7'))
    .sort();
  const answers: Record<string, string | undefined> = {};
  for (const file of files) answers[file] = msa(await sendBytes(readFileSync(join(dir, file), 'utf8')))[1];
  expect(answers).toEqual(EXPECTED_ACKS);
});

it('A13 takes a discharge back and A11 an admission: the episode follows', async () => {
  const pid = 'PID|1||MRN-777^^^MERCY^MR||Reyes^Tomas||19440210|M';
  const stay = (admit: string, discharge = '', disposition = '') =>
    pv1(admit, discharge, disposition).replace('V-9001', 'V-7001');
  expect(msa(await send(adt('A01', 'u-1', stay(`${day(-3)}0800`), pid)))[1]).toBe('AA');
  expect(msa(await send(adt('A03', 'u-2', stay(`${day(-3)}0800`, `${day(0)}0900`, '01'), pid)))[1]).toBe('AA');
  const [patient] = await search<Patient>('Patient?identifier=MRN-777');
  const episodeOf = async () =>
    (await search<EpisodeOfCare>(`EpisodeOfCare?patient=${patient?.id}`))[0] as EpisodeOfCare;
  const openTasks = async () =>
    (
      await search<{ code?: { coding?: { code?: string }[] } }>(
        `Task?patient=${patient?.id}&status=requested,ready,in-progress`,
      )
    ).map((t) => t.code?.coding?.[0]?.code);
  expect(phaseOf(await episodeOf())).toBe('post-discharge');
  expect(await openTasks()).toContain('post-discharge-contact');

  // The discharge was entered for the wrong patient: cancelled. The stay is open again.
  expect(msa(await send(adt('A13', 'u-3', stay(`${day(-3)}0800`), pid)))[1]).toBe('AA');
  const reopened = await episodeOf();
  expect(phaseOf(reopened)).toBe('admitted');
  expect(readEpisode(reopened).tcm).toBeUndefined();
  expect(await openTasks()).not.toContain('post-discharge-contact');
  const [encounter] = await search<Encounter>(`Encounter?patient=${patient?.id}`);
  expect(encounter).toMatchObject({ status: 'in-progress' });
  expect(encounter?.period?.end).toBeUndefined();

  // And the admission itself was a mistake: cancelled, with its open tasks.
  expect(msa(await send(adt('A11', 'u-4', stay(`${day(-3)}0800`), pid)))[1]).toBe('AA');
  expect((await episodeOf()).status).toBe('cancelled');
  expect(await openTasks()).toEqual([]);
});

it('a discharge that arrives before its admission still ends discharged', async () => {
  const pid = 'PID|1||MRN-888^^^MERCY^MR||Lindgren^Maja||19400101|F';
  const stay = (admit: string, discharge = '', disposition = '') =>
    pv1(admit, discharge, disposition).replace('V-9001', 'V-8001');
  expect(msa(await send(adt('A03', 'o-2', stay(`${day(-4)}0800`, `${day(0)}0900`, '01'), pid)))[1]).toBe('AA');
  expect(msa(await send(adt('A01', 'o-1', stay(`${day(-4)}0800`), pid)))[1]).toBe('AA');
  const [patient] = await search<Patient>('Patient?identifier=MRN-888');
  const [encounter] = await search<Encounter>(`Encounter?patient=${patient?.id}`);
  expect(encounter).toMatchObject({ status: 'finished', period: { end: expect.any(String) } });
  const episodes = await search<EpisodeOfCare>(`EpisodeOfCare?patient=${patient?.id}`);
  expect(episodes).toHaveLength(1);
  expect(phaseOf(episodes[0] as EpisodeOfCare)).toBe('post-discharge');
});
