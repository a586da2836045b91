// Secure messaging over HTTP: a thread is read by its participants only (who must also pass the
// access rules), messages are sent in one's own name, replies thread with inResponseTo and partOf,
// and each recipient's reading is recorded.
import type { Bundle, Communication } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HAROLD, ROSA, startDemoServer, tokenOf } from '../security/demo-server.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

let server: TestServer;
const as: Record<string, Record<string, string>> = {};
beforeAll(async () => {
  server = await startDemoServer();
  for (const user of ['coordinator', 'pcp', 'pharmacist', 'patient', 'caregiver'])
    as[user] = bearer(await tokenOf(server, user));
});
afterAll(async () => {
  await server?.close();
});

const message = (from: string, to: string[], text: string, extra: Partial<Communication> = {}): Communication => ({
  resourceType: 'Communication',
  status: 'completed',
  subject: { reference: `Patient/${HAROLD}` },
  sender: { reference: from },
  recipient: to.map((reference) => ({ reference })),
  sent: new Date().toISOString(),
  payload: [{ contentString: text }],
  ...extra,
});
const ids = (b: Bundle) => (b.entry ?? []).map((e) => e.resource?.id);

it('a thread between two clinicians is theirs alone, though others on the team see the patient', async () => {
  const first = await http<Communication>(
    'POST',
    `${server.fhir}/Communication`,
    message('Practitioner/demo-pcp', ['Practitioner/demo-coordinator'], 'Can you call Harold about his weight today?'),
    as.pcp,
  );
  expect(first.status, first.text).toBe(201);
  const reply = await http<Communication>(
    'POST',
    `${server.fhir}/Communication`,
    message(
      'Practitioner/demo-coordinator',
      ['Practitioner/demo-pcp'],
      'Called him: 1 kg up, ankles swollen. Booked Friday.',
      {
        inResponseTo: [{ reference: `Communication/${first.body.id}` }],
        partOf: [{ reference: `Communication/${first.body.id}` }],
      },
    ),
    as.coordinator,
  );
  expect(reply.status).toBe(201);

  const thread = await http<Bundle>(
    'GET',
    `${server.fhir}/Communication?part-of=Communication/${first.body.id}`,
    undefined,
    as.pcp,
  );
  expect(ids(thread.body)).toEqual([reply.body.id]);
  // The pharmacist is on Harold's care team but not in this thread.
  expect((await http('GET', `${server.fhir}/Communication/${first.body.id}`, undefined, as.pharmacist)).status).toBe(
    404,
  );
  const pharmacistSearch = await http<Bundle>(
    'GET',
    `${server.fhir}/Communication?subject=Patient/${HAROLD}`,
    undefined,
    as.pharmacist,
  );
  expect(ids(pharmacistSearch.body)).not.toContain(first.body.id);
  expect((await http('GET', `${server.fhir}/Patient/${HAROLD}`, undefined, as.pharmacist)).status).toBe(200);
  // Nor is the patient, though the message is about them.
  const patientView = await http<Bundle>('GET', `${server.fhir}/Communication`, undefined, as.patient);
  expect(ids(patientView.body)).not.toContain(first.body.id);
});

it('messages are sent in one’s own name', async () => {
  const forged = await http(
    'POST',
    `${server.fhir}/Communication`,
    message('Practitioner/demo-pcp', [`Patient/${HAROLD}`], 'Stop your warfarin.'),
    as.pharmacist,
  );
  expect(forged.status).toBe(403);
});

it('a patient writes to the team, the coordinator answers, the caregiver follows the thread; readings are recorded', async () => {
  const question = await http<Communication>(
    'POST',
    `${server.fhir}/Communication`,
    message(`Patient/${HAROLD}`, ['Practitioner/demo-coordinator'], 'Should I take the water pill if I feel dizzy?'),
    as.patient,
  );
  expect(question.status, question.text).toBe(201);
  const read = await http<Communication>(
    'POST',
    `${server.fhir}/Communication/${question.body.id}/$mark-read`,
    undefined,
    as.coordinator,
  );
  expect(read.status, read.text).toBe(200);
  expect(
    read.body.extension?.[0]?.extension?.map((x) => x.valueReference?.reference ?? x.valueDateTime?.slice(0, 4)),
  ).toEqual(['Practitioner/demo-coordinator', new Date().toISOString().slice(0, 4)]);
  // The pcp is not a recipient: cannot see it, let alone mark it.
  expect(
    (await http('POST', `${server.fhir}/Communication/${question.body.id}/$mark-read`, undefined, as.pcp)).status,
  ).toBe(404);

  const answer = await http<Communication>(
    'POST',
    `${server.fhir}/Communication`,
    message(
      'Practitioner/demo-coordinator',
      [`Patient/${HAROLD}`],
      'Skip today’s second dose and call us at 555-0140.',
      {
        inResponseTo: [{ reference: `Communication/${question.body.id}` }],
        partOf: [{ reference: `Communication/${question.body.id}` }],
      },
    ),
    as.coordinator,
  );
  expect(answer.status).toBe(201);
  const caregiver = await http<Bundle>(
    'GET',
    `${server.fhir}/Communication?part-of=Communication/${question.body.id}`,
    undefined,
    as.caregiver,
  );
  expect(ids(caregiver.body)).toEqual([answer.body.id]);
  const marked = await http<Communication>(
    'POST',
    `${server.fhir}/Communication/${answer.body.id}/$mark-read`,
    undefined,
    as.caregiver,
  );
  expect(marked.status, marked.text).toBe(200);
  expect(marked.body.extension?.[0]?.extension?.[0]?.valueReference?.reference).toBe(`Patient/${HAROLD}`);
  // Rosa's messages stay hers: the patient Harold cannot write as Rosa.
  const asRosa = await http(
    'POST',
    `${server.fhir}/Communication`,
    message(`Patient/${ROSA}`, ['Practitioner/demo-coordinator'], 'x'),
    as.patient,
  );
  expect(asRosa.status).toBe(403);
});
