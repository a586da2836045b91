// Issue 15 §1: the care team's notes never reach the patient. A contact attempt or a call's outcome
// is recorded as a Communication in the internal-note category; no search, include, read,
// `$everything` or notification shows it to the patient or a caregiver, even when it names the
// patient as its recipient, while the patient's access history still shows that it was written.
import type { Bundle, Communication } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNAL_NOTE } from '../../src/access/policy/internal-notes.js';
import { bearer, http, type TestServer } from '../support/test-server.js';
import { HAROLD, startDemoServer, tokenOf } from './demo-server.js';

let server: TestServer;
const tokens: Record<string, Record<string, string>> = {};
let noteId = '';
let messageId = '';

const as = (who: string) => tokens[who] as Record<string, string>;
const ids = (bundle: Bundle | undefined) => (bundle?.entry ?? []).map((e) => e.resource?.id);

beforeAll(async () => {
  server = await startDemoServer();
  for (const who of ['coordinator', 'patient', 'caregiver', 'admin']) tokens[who] = bearer(await tokenOf(server, who));
  // Even a note that (wrongly) names the patient as its recipient stays internal.
  const note = await http<Communication>(
    'POST',
    `${server.fhir}/Communication`,
    {
      resourceType: 'Communication',
      status: 'not-done',
      statusReason: { text: 'No answer, left voicemail (marker 7f3k)' },
      category: [{ coding: [INTERNAL_NOTE] }],
      subject: { reference: `Patient/${HAROLD}` },
      medium: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'PHONE' }] }],
      sender: { reference: 'Practitioner/demo-coordinator' },
      recipient: [{ reference: `Patient/${HAROLD}` }],
      sent: new Date().toISOString(),
      payload: [{ contentString: 'No answer, left voicemail (marker 7f3k)' }],
    },
    as('coordinator'),
  );
  expect(note.status).toBe(201);
  noteId = note.body.id as string;
  const message = await http<Communication>(
    'POST',
    `${server.fhir}/Communication`,
    {
      resourceType: 'Communication',
      status: 'completed',
      subject: { reference: `Patient/${HAROLD}` },
      sender: { reference: 'Practitioner/demo-coordinator' },
      recipient: [{ reference: `Patient/${HAROLD}` }],
      sent: new Date().toISOString(),
      payload: [{ contentString: 'Your follow-up visit is on Tuesday.' }],
    },
    as('coordinator'),
  );
  expect(message.status).toBe(201);
  messageId = message.body.id as string;
}, 120_000);
afterAll(async () => server?.close());

describe('internal notes', () => {
  for (const who of ['patient', 'caregiver']) {
    it(`are never shown to the ${who}: search, read, include, $everything`, async () => {
      const searches = [
        `Communication?recipient=Patient/${HAROLD}`,
        `Communication?subject=Patient/${HAROLD}`,
        `Communication?_id=${noteId}`,
        `Patient?_id=${HAROLD}&_revinclude=Communication:subject`,
        `Patient/${HAROLD}/Communication`,
      ];
      for (const query of searches) {
        const res = await http<Bundle>('GET', `${server.fhir}/${query}`, undefined, as(who));
        expect(res.status, query).toBe(200);
        expect(ids(res.body), query).not.toContain(noteId);
      }
      const messages = await http<Bundle>(
        'GET',
        `${server.fhir}/Communication?recipient=Patient/${HAROLD}`,
        undefined,
        as(who),
      );
      expect(ids(messages.body)).toContain(messageId);
      expect((await http('GET', `${server.fhir}/Communication/${noteId}`, undefined, as(who))).status).toBe(404);
      const everything = await http<Bundle>('GET', `${server.fhir}/Patient/${HAROLD}/$everything`, undefined, as(who));
      expect(everything.status).toBe(200);
      expect(ids(everything.body)).not.toContain(noteId);
      expect(ids(everything.body)).toContain(messageId);
      expect(everything.text).not.toContain('marker 7f3k');
    });
  }

  it('stay with the care team', async () => {
    const res = await http<Bundle>(
      'GET',
      `${server.fhir}/Communication?subject=Patient/${HAROLD}`,
      undefined,
      as('coordinator'),
    );
    expect(ids(res.body)).toContain(noteId);
  });

  it('still show in the patient’s access history that something was recorded', async () => {
    const history = await http<Bundle>(
      'GET',
      `${server.fhir}/AuditEvent?patient=Patient/${HAROLD}&_count=200`,
      undefined,
      as('patient'),
    );
    expect(history.status).toBe(200);
    const recorded = (history.body.entry ?? []).map(
      (e) => e.resource as unknown as { action?: string; entity?: { name?: string }[] },
    );
    expect(recorded.some((e) => e.action === 'C' && e.entity?.some((x) => x.name === 'Communication'))).toBe(true);
    expect(history.text).not.toContain('marker 7f3k');
  });
});
