// With CARELOOP_FEED_ORGANIZATION set, the patients a hospital feed or document registers join that
// organization's panel: the coordinator of the clinic finds them (without it, nobody's panel holds a
// stranger the feed registered, and only the feed review could reach them).
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendMllp } from '../../src/server/mllp/mllp-transport.js';
import { startDemoServer, tokenOf } from '../security/demo-server.js';
import { smallDocument } from '../support/ccda-document.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startDemoServer({ mllp: true, feedOrganization: 'Organization/demo-clinic' });
});
afterAll(() => server?.close());

it('registers strangers from the feed and from documents on the clinic’s panel', async () => {
  const a01 = [
    'MSH|^~\\&|EPIC|MERCY|CARELOOP|CLINIC|202612030900||ADT^A01|org-1|P|2.5.1',
    'PID|1||ORG-1^^^MERCY^MR||Newcomer^Nell||19620202|F',
    `PV1|1|I|4E^401^A^MERCY||||||||||||||||ORG-V1^^^MERCY^VN${'|'.repeat(25)}202612020800`,
  ].join('\r');
  expect(await sendMllp('127.0.0.1', server.mllpPort as number, a01)).toContain('MSA|AA|org-1');
  const document = await http(
    'POST',
    `${server.fhir}/$import-ccda`,
    smallDocument('org-doc-1', '999-33-0001', 'Dora', 'Docs', '19700303'),
    {
      'content-type': 'application/cda+xml',
    },
  );
  expect(document.status, document.text).toBe(201);
  const coordinator = bearer(await tokenOf(server, 'coordinator'));
  for (const family of ['Newcomer', 'Docs']) {
    const found = await http<Bundle>('GET', `${server.fhir}/Patient?family=${family}`, undefined, coordinator);
    const patient = found.body.entry?.[0]?.resource as Patient | undefined;
    expect(patient?.managingOrganization?.reference, family).toBe('Organization/demo-clinic');
  }
});
