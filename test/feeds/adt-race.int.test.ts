// The same ADT message on twenty connections at once, spread over two servers of one database (a
// hospital interface engine retrying on every link it has): it is applied once — one patient, one
// stay, one version of each — and every connection is told it was accepted, or asked to send it
// again while the first is still being applied; sent again afterwards, each gets the same AA.
import type { Bundle, Encounter, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendMllp } from '../../src/server/mllp/mllp-transport.js';
import { http, startTestServers, type TestServer } from '../support/test-server.js';

let servers: TestServer[];
beforeAll(async () => {
  servers = await startTestServers(2, { mllp: true });
});
afterAll(async () => {
  for (const s of servers ?? []) await s.close();
});

it('applies a message raced on twenty connections over two servers once', async () => {
  const [a, b] = servers as [TestServer, TestServer];
  const message = [
    'MSH|^~\\&|EPIC|MERCY|CARELOOP|CLINIC|202612030900||ADT^A01|race-1|P|2.5.1',
    'PID|1||RACE-1^^^MERCY^MR||Racer^Ruth||19500101|F',
    `PV1|1|I|4E^401^A^MERCY||||||||||||||||RACE-V1^^^MERCY^VN${'|'.repeat(25)}202612020800`,
  ].join('\r');
  const acks = await Promise.all(
    Array.from({ length: 20 }, (_, i) => sendMllp('127.0.0.1', (i % 2 ? b : a).mllpPort as number, message)),
  );
  for (const ack of acks) expect(ack).toMatch(/MSA\|AA\|race-1|MSA\|AE\|race-1.*being applied/s);
  expect(acks.some((ack) => ack.includes('MSA|AA|race-1'))).toBe(true);
  const search = async <T>(query: string) =>
    ((await http<Bundle>('GET', `${a.fhir}/${query}`)).body.entry ?? []).map((e) => e.resource as T);
  const patients = await search<Patient>('Patient?identifier=RACE-1');
  expect(patients).toHaveLength(1);
  expect(patients[0]?.meta?.versionId).toBe('1');
  const stays = await search<Encounter>('Encounter?identifier=RACE-V1');
  expect(stays).toHaveLength(1);
  expect(stays[0]?.meta?.versionId).toBe('1');
  // Afterwards, a resend anywhere is answered AA and changes nothing.
  for (const s of [a, b]) expect(await sendMllp('127.0.0.1', s.mllpPort as number, message)).toContain('MSA|AA|race-1');
});
