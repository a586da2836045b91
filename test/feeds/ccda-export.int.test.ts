// C-CDA documents out: the coordinator downloads Harold's CCD and a transition (Referral Note)
// document, each a C-CDA Careloop's own reader takes back with his problems, medicines, allergies
// and care team; nobody gets the document of a record they may not open; a referral carries the
// transition document to the food bank, which reads it with the referral and nothing else.
import type { ServiceRequest } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCcda } from '../../src/care/feeds/ccda/ccda-codec.js';
import { HAROLD, OLIVER, ROSA, startDemoServer, tokenOf } from '../security/demo-server.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

let server: TestServer;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  server = await startDemoServer();
  for (const user of ['coordinator', 'patient', 'foodbank']) tokens[user] = await tokenOf(server, user);
});
afterAll(() => server?.close());

async function download(user: string, patient: string, query = '') {
  const res = await fetch(`${server.fhir}/Patient/${patient}/$ccda${query}`, {
    headers: { authorization: `Bearer ${tokens[user]}` },
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

const countOf = (xml: string) => {
  const reading = readCcda(xml);
  if (!reading.ok) throw new Error(`${reading.problem.element}: ${reading.problem.text}`);
  const counts: Record<string, number> = {};
  for (const e of reading.document.bundle.entry ?? [])
    counts[e.resource?.resourceType ?? '?'] = (counts[e.resource?.resourceType ?? '?'] ?? 0) + 1;
  return { document: reading.document, counts };
};

describe('GET Patient/{id}/$ccda', () => {
  it.each([
    ['ccd', '34133-9'],
    ['transition', '57133-1'],
  ])('writes a %s C-CDA that reads back with the record', async (type, loinc) => {
    const res = await download('coordinator', HAROLD, `?type=${type}`);
    expect(res.status, res.text).toBe(200);
    expect(res.type).toContain('application/cda+xml');
    const { document, counts } = countOf(res.text);
    expect(document.type?.coding?.[0]?.code).toBe(loinc);
    expect(document.patient.name?.[0]?.family).toBe('Brennan');
    expect(counts.Condition).toBeGreaterThanOrEqual(4);
    expect(counts.MedicationRequest).toBeGreaterThan(0);
    expect(counts.AllergyIntolerance).toBeGreaterThan(0);
    expect(counts.CareTeam).toBe(1);
    expect(res.text).toContain('Congestive heart failure');
  });

  it('gives nobody the document of a record they may not open', async () => {
    expect((await download('coordinator', OLIVER)).status).toBe(404);
    expect((await download('patient', ROSA)).status).toBe(404);
    const own = await download('patient', HAROLD);
    expect(own.status).toBe(200);
    expect((await download('coordinator', HAROLD, '?type=discharge')).status).toBe(400);
  });
});

describe('POST ServiceRequest/{id}/$attach-ccda', () => {
  it('sends the transition document with a referral, for the partner to read with it', async () => {
    const created = await http<ServiceRequest>(
      'POST',
      `${server.fhir}/ServiceRequest`,
      {
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'order',
        category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' }] }],
        code: { text: 'Home-delivered meals after discharge' },
        subject: { reference: `Patient/${HAROLD}` },
        requester: { reference: 'Practitioner/demo-coordinator' },
        performer: [{ reference: 'Organization/demo-food-bank', display: 'Riverbend Community Food Bank' }],
        authoredOn: new Date().toISOString(),
      },
      bearer(tokens.coordinator as string),
    );
    expect(created.status, created.text).toBe(201);
    const attached = await http<ServiceRequest>(
      'POST',
      `${server.fhir}/ServiceRequest/${created.body.id}/$attach-ccda`,
      undefined,
      bearer(tokens.coordinator as string),
    );
    expect(attached.status, attached.text).toBe(200);
    expect(attached.body.supportingInfo?.map((s) => s.reference)).toContain('#transition-ccda');
    // Attached again: replaced, not doubled.
    const again = await http<ServiceRequest>(
      'POST',
      `${server.fhir}/ServiceRequest/${created.body.id}/$attach-ccda`,
      undefined,
      bearer(tokens.coordinator as string),
    );
    expect(again.body.contained).toHaveLength(1);

    const seen = await http<ServiceRequest>(
      'GET',
      `${server.fhir}/ServiceRequest/${created.body.id}`,
      undefined,
      bearer(tokens.foodbank as string),
    );
    expect(seen.status).toBe(200);
    const contained = seen.body.contained?.[0] as { content?: { attachment: { data?: string } }[] } | undefined;
    const attachment = contained?.content?.[0]?.attachment;
    const xml = Buffer.from(attachment?.data ?? '', 'base64').toString('utf8');
    const { document } = countOf(xml);
    expect(document.type?.coding?.[0]?.code).toBe('57133-1');
    expect(xml).toContain('Home-delivered meals after discharge');
    // The food bank still cannot open the record itself.
    expect(
      (await http('GET', `${server.fhir}/Condition?patient=${HAROLD}`, undefined, bearer(tokens.foodbank as string)))
        .status,
    ).toBe(403);
  });
});
