// A patient uploads documents from another provider in the portal: a C-CDA is imported into their
// record once the care team accepts it, a PDF is kept as it is. A patient cannot pass an upload off
// as the care team's, change the team's documents or accept their own; a C-CDA about someone else
// is refused on acceptance.
import type { DocumentReference } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HAROLD, startDemoServer, tokenOf } from '../security/demo-server.js';
import { smallDocument } from '../support/ccda-document.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

let server: TestServer;
const as: Record<string, Record<string, string>> = {};
beforeAll(async () => {
  server = await startDemoServer();
  for (const user of ['patient', 'coordinator']) as[user] = bearer(await tokenOf(server, user));
});
afterAll(() => server?.close());

const upload = (contentType: string, data: string, author = `Patient/${HAROLD}`): DocumentReference => ({
  resourceType: 'DocumentReference',
  status: 'current',
  docStatus: 'preliminary',
  subject: { reference: `Patient/${HAROLD}` },
  author: [{ reference: author }],
  description: 'From my cardiologist in Eastport',
  content: [{ attachment: { contentType, data: Buffer.from(data).toString('base64'), title: 'upload' } }],
});
const post = (doc: DocumentReference, user = 'patient') =>
  http<DocumentReference>('POST', `${server.fhir}/DocumentReference`, doc, as[user]);
const accept = (id: string | undefined, user = 'coordinator') =>
  http<DocumentReference & { issue?: { diagnostics?: string }[] }>(
    'POST',
    `${server.fhir}/DocumentReference/${id}/$accept`,
    undefined,
    as[user],
  );

it('imports an uploaded C-CDA once the care team accepts it', async () => {
  const created = await post(
    upload('application/cda+xml', smallDocument('upload-1', '999-11-0001', 'Harold', 'Brennan', '19470314')),
  );
  expect(created.status, created.text).toBe(201);
  expect((await accept(created.body.id, 'patient')).status).toBe(403);
  const accepted = await accept(created.body.id);
  expect(accepted.status, accepted.text).toBe(200);
  expect(accepted.body.docStatus).toBe('final');
  const imported = accepted.body.relatesTo?.[0]?.target?.reference ?? '';
  expect(accepted.body.relatesTo?.[0]?.code).toBe('transforms');
  const document = await http<DocumentReference>('GET', `${server.fhir}/${imported}`, undefined, as.coordinator);
  expect(document.body.subject?.reference).toBe(`Patient/${HAROLD}`);
  // The patient sees it accepted.
  const mine = await http<DocumentReference>(
    'GET',
    `${server.fhir}/DocumentReference/${created.body.id}`,
    undefined,
    as.patient,
  );
  expect(mine.body.docStatus).toBe('final');
  // Accepted once.
  expect((await accept(created.body.id)).status).toBe(422);
});

it('keeps a PDF as the document it is', async () => {
  const created = await post(upload('application/pdf', '%PDF-1.4 a letter'));
  expect(created.status, created.text).toBe(201);
  const accepted = await accept(created.body.id);
  expect(accepted.status, accepted.text).toBe(200);
  expect(accepted.body.docStatus).toBe('final');
  expect(accepted.body.relatesTo).toBeUndefined();
});

it('refuses on acceptance a C-CDA about someone else', async () => {
  const created = await post(
    upload('application/cda+xml', smallDocument('upload-2', '999-11-0002', 'Rosa', 'Delgado', '19540902')),
  );
  expect(created.status).toBe(201);
  const refused = await accept(created.body.id);
  expect(refused.status).toBe(422);
  expect(refused.text).toContain('someone else');
});

it('lets a patient neither pass an upload off as the team’s nor change the team’s documents', async () => {
  expect((await post(upload('application/pdf', 'x', 'Practitioner/demo-pcp'))).status).toBe(403);
  const teams = await post(upload('application/pdf', 'x', 'Practitioner/demo-pcp'), 'coordinator');
  expect(teams.status, teams.text).toBe(201);
  const changed = await http(
    'PUT',
    `${server.fhir}/DocumentReference/${teams.body.id}`,
    { ...teams.body, author: [{ reference: `Patient/${HAROLD}` }] },
    as.patient,
  );
  expect(changed.status).toBe(403);
});
