// The feed review, as its users and attackers meet it: an admission for a patient Careloop knows
// under another identifier is held; the coordinator sees it with the patient it may be about and
// links it (the stay is then applied; the message resent changes nothing); twenty coordinators
// deciding one message at once: one wins. Others may not see or decide it; a coordinator cannot
// link a message to a patient outside their reach. An A40 merge is confirmed and moves the record.
import type { Bundle, Encounter, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HeldMessage } from '../../src/server/feeds/feed-review.js';
import { sendMllp } from '../../src/server/mllp/mllp-transport.js';
import { HAROLD, OLIVER, startDemoServer, tokenOf } from '../security/demo-server.js';
import { smallDocument } from '../support/ccda-document.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

let server: TestServer;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  server = await startDemoServer({ mllp: true });
  for (const user of ['coordinator', 'pcp', 'patient', 'admin']) tokens[user] = await tokenOf(server, user);
});
afterAll(() => server?.close());

const as = (user: string) => bearer(tokens[user] as string);
const day = () => new Date(server.clock.now()).toISOString().slice(0, 10).replace(/-/g, '');
const adt = (event: string, control: string, pid: string, rest = '') =>
  `MSH|^~\\&|EPIC|MERCY|CARELOOP|CLINIC|${day()}0900||ADT^${event}|${control}|P|2.5.1\r${pid}${rest}`;
const pv1 = (visit: string) =>
  `\rPV1|1|I|4E^401^A^MERCY||||||||||||||||${visit}^^^MERCY^VN${'|'.repeat(25)}${day()}0800`;
const send = (text: string) => sendMllp('127.0.0.1', server.mllpPort as number, text);
const review = (user: string) =>
  http<{ messages: HeldMessage[] }>('GET', `${server.url}/feeds/review`, undefined, as(user));
const decide = (user: string, key: string, body: unknown) =>
  http<{ outcome: string; patients: string[] }>(
    'POST',
    `${server.url}/feeds/review/${encodeURIComponent(key)}`,
    JSON.stringify(body),
    { ...as(user), 'content-type': 'application/json' },
  );
const search = async <T>(query: string): Promise<T[]> =>
  ((await http<Bundle>('GET', `${server.fhir}/${query}`)).body.entry ?? []).map((e) => e.resource as T);
const heldKey = (control: string) => `EPIC^MERCY|${control}`;

it('holds a doubtful admission, shows it to the coordinator, and applies it once linked', async () => {
  const message = adt('A01', 'rv-1', 'PID|1||H-77^^^MERCY^MR||Brennan^Harold||19470314|M', pv1('V-501'));
  expect(await send(message)).toContain('MSA|AA|rv-1');
  const listed = await review('coordinator');
  expect(listed.status).toBe(200);
  const held = listed.body.messages.find((m) => m.key === heldKey('rv-1'));
  expect(held?.reason).toMatch(/another identifier/);
  expect(held?.candidates.map((c) => c.id)).toEqual([HAROLD]);
  expect(held?.actions).toEqual(['link', 'create', 'dismiss']);
  expect(await search<Encounter>('Encounter?identifier=V-501')).toEqual([]);

  // Twenty coordinators at once: one decision applies, the others are told it was taken.
  const racing = await Promise.all(
    Array.from({ length: 20 }, () => decide('coordinator', heldKey('rv-1'), { action: 'link', patient: HAROLD })),
  );
  expect(racing.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(409)]);
  const [encounter] = await search<Encounter>('Encounter?identifier=V-501');
  expect(encounter?.subject?.reference).toBe(`Patient/${HAROLD}`);
  const [harold] = await search<Patient>(`Patient?_id=${HAROLD}`);
  expect(harold?.identifier?.map((i) => i.value)).toContain('H-77');
  expect(harold?.name?.[0]?.family).toBe('Brennan');
  expect((await review('coordinator')).body.messages.map((m) => m.key)).not.toContain(heldKey('rv-1'));

  // The hospital resends it: the same answer, nothing written again.
  const versions = encounter?.meta?.versionId;
  expect(await send(message)).toContain('MSA|AA|rv-1');
  expect((await search<Encounter>('Encounter?identifier=V-501'))[0]?.meta?.versionId).toBe(versions);
});

it('keeps the review to coordinators, and their links to their own patients', async () => {
  await send(adt('A01', 'rv-2', 'PID|1||G-12^^^MERCY^MR||Grant^Oliver||19580725|M', pv1('V-502')));
  for (const user of ['pcp', 'patient', 'admin']) {
    expect((await review(user)).status).toBe(403);
    expect((await decide(user, heldKey('rv-2'), { action: 'create' })).status).toBe(403);
  }
  const held = (await review('coordinator')).body.messages.find((m) => m.key === heldKey('rv-2'));
  // Oliver is another practice's patient: the coordinator is told one exists, not who.
  expect(held?.candidates).toEqual([]);
  expect(held?.hiddenCandidates).toBe(1);
  expect(JSON.stringify(held?.candidates)).not.toContain(OLIVER);
  const link = await decide('coordinator', heldKey('rv-2'), { action: 'link', patient: OLIVER });
  expect(link.status).toBe(404);
  expect((await server.store.feeds.getFeedMessage(heldKey('rv-2')))?.outcome).toBe('review');
  expect((await decide('coordinator', heldKey('rv-2'), { action: 'merge' })).status).toBe(422);
  expect((await decide('coordinator', heldKey('rv-2'), { action: 'nonsense' })).status).toBe(400);
  expect((await decide('coordinator', 'EPIC^MERCY|nobody', { action: 'create' })).status).toBe(404);
});

it('registers a new patient from a held message when the coordinator says it is someone else', async () => {
  await send(adt('A01', 'rv-3', 'PID|1||N-31^^^MERCY^MR||Brennan^Harold||19470314|M', pv1('V-503')));
  const created = await decide('coordinator', heldKey('rv-3'), { action: 'create' });
  expect(created.status).toBe(200);
  const [patient] = await search<Patient>('Patient?identifier=N-31');
  expect(patient?.id).not.toBe(HAROLD);
  expect(created.body.patients).toEqual([patient?.id]);
  expect((await search<Encounter>('Encounter?identifier=V-503'))[0]?.subject?.reference).toBe(`Patient/${patient?.id}`);
  // Decided once: a second decision is a conflict.
  expect((await decide('coordinator', heldKey('rv-3'), { action: 'create' })).status).toBe(409);
});

it('dismisses a held message: nothing applied, and it leaves the review', async () => {
  await send(adt('A01', 'rv-4', 'PID|1||D-41^^^MERCY^MR||Brennan^Harold||19470314|M', pv1('V-504')));
  const dismissed = await decide('coordinator', heldKey('rv-4'), { action: 'dismiss', reason: 'Test patient' });
  expect(dismissed.body.outcome).toBe('dismissed');
  expect(await search<Encounter>('Encounter?identifier=V-504')).toEqual([]);
  expect((await review('coordinator')).body.messages.map((m) => m.key)).not.toContain(heldKey('rv-4'));
});

it('applies a confirmed A40: the retired record moves to the survivor', async () => {
  const system = 'http://careloop.org/fhir/sid/hl7v2/MERCY';
  const panel = { reference: 'Organization/demo-clinic' };
  for (const [id, mrn] of [
    ['merge-keep', 'K-1'],
    ['merge-gone', 'K-2'],
  ] as const)
    await server.repository.update('Patient', id, {
      resourceType: 'Patient',
      id,
      identifier: [{ system, value: mrn }],
      name: [{ family: 'Vance', given: ['Iris'] }],
      birthDate: '1950-02-02',
      managingOrganization: panel,
    });
  await server.repository.update('Condition', 'merge-gone-condition', {
    resourceType: 'Condition',
    id: 'merge-gone-condition',
    subject: { reference: 'Patient/merge-gone' },
    code: { text: 'Heart failure' },
  });
  const merge = adt('A40', 'rv-5', 'PID|1||K-1^^^MERCY^MR||Vance^Iris||19500202|F', '\rMRG|K-2^^^MERCY^MR');
  expect(await send(merge)).toContain('MSA|AA|rv-5');
  const held = (await review('coordinator')).body.messages.find((m) => m.key === heldKey('rv-5'));
  expect(held?.actions).toEqual(['merge', 'dismiss']);
  expect(held?.candidates.map((c) => c.id).sort()).toEqual(['merge-gone', 'merge-keep']);
  expect((await decide('coordinator', heldKey('rv-5'), { action: 'link', patient: 'merge-keep' })).status).toBe(422);
  const merged = await decide('coordinator', heldKey('rv-5'), { action: 'merge' });
  expect(merged.status, merged.text).toBe(200);
  const [condition] = await search<{ subject?: { reference?: string } }>('Condition?_id=merge-gone-condition');
  expect(condition?.subject?.reference).toBe('Patient/merge-keep');
  const [gone] = await search<Patient>('Patient?_id=merge-gone');
  expect(gone?.active).toBe(false);
  expect(gone?.link?.[0]).toEqual({ other: { reference: 'Patient/merge-keep' }, type: 'replaced-by' });
  const byOld = await search<Patient>(`Patient?identifier=${system}|K-2`);
  expect(byOld.map((p) => p.id)).toEqual(['merge-keep']);
  // An admission under the retired number now lands on the survivor.
  await send(adt('A01', 'rv-6', 'PID|1||K-2^^^MERCY^MR||Vance^Iris||19500202|F', pv1('V-506')));
  expect((await search<Encounter>('Encounter?identifier=V-506'))[0]?.subject?.reference).toBe('Patient/merge-keep');
});

it('holds a doubtful C-CDA document the same way, and files it in the linked record', async () => {
  const xml = smallDocument('review-doc-1', '999-00-7001', 'Harold', 'Brennan', '19470314');
  const posted = await http('POST', `${server.fhir}/$import-ccda`, xml, { 'content-type': 'application/cda+xml' });
  expect(posted.status, posted.text).toBe(202);
  const held = (await review('coordinator')).body.messages.find((m) => m.key.includes('review-doc-1'));
  expect(held?.reason).toMatch(/another identifier/);
  expect(held?.candidates.map((c) => c.id)).toEqual([HAROLD]);
  const linked = await decide('coordinator', held?.key ?? '', { action: 'link', patient: HAROLD });
  expect(linked.status, linked.text).toBe(200);
  const documents = await search<{ masterIdentifier?: { value?: string } }>(`DocumentReference?patient=${HAROLD}`);
  expect(documents.map((d) => d.masterIdentifier?.value)).toContain('review-doc-1');
  // Sent again: the hospital is told it is in, nothing more is written.
  const again = await http('POST', `${server.fhir}/$import-ccda`, xml, { 'content-type': 'application/cda+xml' });
  expect(again.status, again.text).toBe(200);
});

it('lists what the feeds sent that was refused, where and why, for coordinators only', async () => {
  const noVisit = adt('A01', 'rv-bad', 'PID|1||B-1^^^MERCY^MR||Bad^Visit||19600101|F', '\rPV1|1|I|4E');
  expect(await send(noVisit)).toContain('MSA|AE|rv-bad');
  await http('POST', `${server.fhir}/$import-ccda`, '<ClinicalDocument xmlns="urn:hl7-org:v3"><id', {
    'content-type': 'application/cda+xml',
  });
  const listed = await http<{ messages: { type: string; where: string; reason: string }[] }>(
    'GET',
    `${server.url}/feeds/refused`,
    undefined,
    as('coordinator'),
  );
  expect(listed.status).toBe(200);
  expect(listed.body.messages).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ type: 'ADT^A01', where: 'PV1-19', reason: expect.stringMatching(/visit number/) }),
      expect.objectContaining({ type: 'C-CDA', where: expect.stringMatching(/^line 1, column/) }),
    ]),
  );
  expect((await http('GET', `${server.url}/feeds/refused`, undefined, as('pcp'))).status).toBe(403);
});
