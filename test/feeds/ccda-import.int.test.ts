// C-CDA documents in, as hospitals send them: every shared sample is imported whole (a Binary and
// a DocumentReference) with its sections as FHIR resources; sent again it changes nothing; an
// unreadable one is refused naming where, and kept. A discharge summary for a patient the ADT feed
// admitted and discharged gives the episode its discharge list and readies its reconciliation task.
// Only staff who may register patients import, and only into records they may open.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Bundle,
  DocumentReference,
  Encounter,
  EpisodeOfCare,
  MedicationRequest,
  Parameters,
  Task,
} from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phaseOf } from '../../src/care/transitions/episode-resources.js';
import { sendMllp } from '../../src/server/mllp/mllp-transport.js';
import { OLIVER, startDemoServer, tokenOf } from '../security/demo-server.js';
import { smallDocument } from '../support/ccda-document.js';
import { sharedDataDir } from '../support/shared-data.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

const dir = join(sharedDataDir(), 'ccda');
const samples = readdirSync(dir).filter((f) => f.endsWith('.xml'));
const sample = (name: string) => readFileSync(join(dir, name), 'utf8');

let server: TestServer;
beforeAll(async () => {
  server = await startDemoServer({ mllp: true });
});
afterAll(() => server?.close());

const post = (xml: string, headers: Record<string, string> = {}) =>
  http<Parameters & { issue?: { expression?: string[]; diagnostics?: string }[] }>(
    'POST',
    `${server.fhir}/$import-ccda`,
    xml,
    {
      'content-type': 'application/cda+xml',
      ...headers,
    },
  );
const param = (p: Parameters, name: string) => p.parameter?.find((x) => x.name === name);
const search = async <T>(query: string): Promise<T[]> =>
  ((await http<Bundle>('GET', `${server.fhir}/${query}`)).body.entry ?? []).map((e) => e.resource as T);

/**
 * The public samples reuse their test patients: the ONC ones give one SSN to patients of different
 * names, and one name and birth date under several identifiers. By the matching rules those are
 * doubtful and wait for the feed review (nothing written); the rest are applied.
 */
const HELD = new Set([
  'CarePlan__onc-2015-testdata__170.315_b9_cp_amb_sample1_v6.xml',
  'DS__onc-2015-testdata__170.315_b2_ciri__r21_sample1_ds_recon_v11.xml',
  'DS__onc-2015-testdata__170.315_b2_ciri__r21_sample1_ds_v11.xml',
  'TransferSummary__hl7-c-cda-examples__Transfer_Summary.xml',
]);

describe('POST $import-ccda', () => {
  it.each(samples.filter((s) => !s.startsWith('DS__hl7')))('imports %s whole, once (or holds it)', async (name) => {
    const before = await server.store.countByType();
    const first = await post(sample(name));
    if (HELD.has(name)) {
      expect(first.status, first.text).toBe(202);
      expect(param(first.body, 'reason')?.valueString).toMatch(/identifier/);
      expect((await post(sample(name))).status).toBe(202);
      expect(await server.store.countByType()).toEqual(before);
      return;
    }
    expect(first.status, first.text).toBe(201);
    expect(param(first.body, 'outcome')?.valueCode).toBe('applied');
    const reference = param(first.body, 'documentReference')?.valueReference?.reference ?? '';
    const [document] = await search<DocumentReference>(`DocumentReference?_id=${reference.split('/')[1]}`);
    const binary = document?.content?.[0]?.attachment?.url ?? '';
    expect(binary).toMatch(/^Binary\//);
    const stored = await http<{ data?: string }>('GET', `${server.fhir}/${binary}`, undefined, {
      accept: 'application/fhir+json',
    });
    expect(Buffer.from(stored.body.data ?? '', 'base64').toString('utf8')).toBe(sample(name).replace(/^\uFEFF/, ''));
    const imported = (first.body.parameter ?? []).filter((p) => p.name === 'resources');
    expect(imported.length).toBeGreaterThan(0);

    const imported1 = await server.store.countByType();
    const again = await post(sample(name));
    expect(again.status).toBe(200);
    expect(param(again.body, 'outcome')?.valueCode).toBe('unchanged');
    expect(param(again.body, 'documentReference')?.valueReference?.reference).toBe(reference);
    expect(await server.store.countByType()).toEqual(imported1);
  });

  it('opens no transition episode for the stays a document tells of', async () => {
    const encounters = await search<Encounter>(
      'Encounter?_tag=http://careloop.org/fhir/CodeSystem/record-source|document',
    );
    expect(encounters.length).toBeGreaterThan(0);
    const episodes = await search<EpisodeOfCare>('EpisodeOfCare?_count=200');
    const fromDocuments = new Set(encounters.map((e) => `Encounter/${e.id}`));
    expect(episodes.filter((e) => e.identifier?.some((i) => fromDocuments.has(i.value ?? '')))).toEqual([]);
  });

  it.each([
    [
      'truncated XML',
      () => sample('DS__onc-2015-testdata__170.315_b2_ciri__r21_sample1_ds_v11.xml').slice(0, 20000),
      /^line \d+, column \d+$/,
    ],
    ['another XML document', () => '<?xml version="1.0"?><note><to>x</to></note>', /^note$/],
  ])('refuses %s naming where, writes nothing and keeps it', async (_, xml, where) => {
    const before = await server.store.countByType();
    const res = await post(xml());
    expect(res.status).toBe(422);
    expect(res.body.issue?.[0]?.expression?.[0]).toMatch(where);
    expect(await server.store.countByType()).toEqual(before);
    const kept = await server.store.feeds.listFeedMessages(0, 1000, 'refused');
    expect(kept.some((m) => m.kind === 'ccda' && m.raw === xml())).toBe(true);
  });

  it('refuses a body that is not XML, and XML anywhere else', async () => {
    expect((await http('POST', `${server.fhir}/$import-ccda`, {})).status).toBe(415);
    expect(
      (await http('POST', `${server.fhir}/Patient`, '<Patient/>', { 'content-type': 'application/xml' })).status,
    ).toBe(415);
  });
});

describe('a discharge summary after the ADT feed', () => {
  const day = (offset: number) =>
    new Date(server.clock.now() + offset * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const adt = (event: string, control: string, pv1: string) =>
    [
      `MSH|^~\\&|EPIC|MERCY|CARELOOP|CLINIC|${day(0)}0900||ADT^${event}|${control}|P|2.5.1`,
      'PID|1||998991^^^&2.16.840.1.113883.19.5.99999.2&ISO^MR||Jones^Isabella||20050501|F',
      pv1,
    ].join('\r');
  const pv1 = (discharge: string, disposition: string) =>
    `PV1|1|I|4E^401^A^MERCY||||1234^Okafor^Grace|||||||7|||||DS-1^^^MERCY^VN${'|'.repeat(17)}${disposition}${'|'.repeat(8)}${day(-3)}0800|${discharge}`;

  it('gives the episode its discharge list and readies the reconciliation', async () => {
    const port = server.mllpPort as number;
    expect(await sendMllp('127.0.0.1', port, adt('A01', 'ds-1', pv1('', '')))).toContain('MSA|AA');
    expect(await sendMllp('127.0.0.1', port, adt('A03', 'ds-2', pv1(`${day(0)}1000`, '01')))).toContain('MSA|AA');
    const [stay] = await search<Encounter>('Encounter?identifier=DS-1');
    const patient = stay?.subject?.reference ?? '';
    const [episode] = await search<EpisodeOfCare>(`EpisodeOfCare?patient=${patient}`);
    expect(episode && phaseOf(episode)).toBe('post-discharge');

    const res = await post(sample('DS__hl7-c-cda-examples__Discharge_Summary.xml'));
    expect(res.status, res.text).toBe(201);
    expect(param(res.body, 'patient')?.valueReference?.reference).toBe(patient);
    const discharge = await search<MedicationRequest>(`MedicationRequest?patient=${patient}&category=discharge`);
    expect(discharge.map((m) => m.medicationCodeableConcept?.coding?.[0]?.code)).toEqual(['197806']);
    expect(discharge[0]?.encounter?.reference).toBe(`Encounter/${stay?.id}`);
    const tasks = await search<Task>(`Task?focus=EpisodeOfCare/${episode?.id}&code=medication-reconciliation`);
    expect(tasks[0]?.status).toBe('ready');
    const [summary] = await search<DocumentReference>(
      `DocumentReference?patient=${patient}&type=http://loinc.org|18842-5`,
    );
    expect(summary?.context?.related?.[0]?.reference).toBe(`EpisodeOfCare/${episode?.id}`);
    const course = summary?.content?.find((c) => c.attachment.title?.toUpperCase().includes('HOSPITAL COURSE'));
    expect(Buffer.from(course?.attachment.data ?? '', 'base64').toString('utf8').length).toBeGreaterThan(20);

    // The reconciliation compares the discharge list with what the patient took before.
    const recon = await http('POST', `${server.fhir}/${patient}/$reconcile-medications`, {
      resourceType: 'Parameters',
    });
    expect(recon.status, recon.text).toBe(201);
    expect(recon.text).toContain('ibuprofen 600 MG Oral Tablet');
  });
});

describe('who may import', () => {
  it('refuses a patient, and a physician bringing a document into a record outside their reach', async () => {
    const patient = await tokenOf(server, 'patient');
    expect(
      (await post(smallDocument('who-1', '999-00-0001', 'Ada', 'Quill', '19510704'), bearer(patient))).status,
    ).toBe(403);
    // A document about Oliver (another practice's patient), by an identifier he holds.
    const [oliver] = await search<{ identifier?: { system?: string; value?: string }[] }>(`Patient?_id=${OLIVER}`);
    await server.repository.update('Patient', OLIVER, {
      ...(oliver as object),
      resourceType: 'Patient',
      id: OLIVER,
      identifier: [...(oliver?.identifier ?? []), { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-00-0107' }],
    });
    const pcp = await tokenOf(server, 'pcp');
    const before = await server.store.countByType();
    const res = await post(smallDocument('who-2', '999-00-0107', 'Oliver', 'Grant', '19580725'), bearer(pcp));
    expect(res.status, res.text).toBe(403);
    expect(res.text).not.toContain(OLIVER);
    expect(await server.store.countByType()).toEqual(before);
    // A new patient the physician may register.
    const fresh = await post(smallDocument('who-3', '999-00-0999', 'Nia', 'Okoro', '19600101'), bearer(pcp));
    expect(fresh.status, fresh.text).toBe(201);
  });
});
