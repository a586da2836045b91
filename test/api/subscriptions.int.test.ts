// Notifications over HTTP: a backend subscribes with a rest-hook to an endpoint an administrator
// allowed; a matching write is delivered, a failed delivery is retried with backoff and recorded on
// the Subscription; other endpoints and other channels are refused.
import { createServer, type Server } from 'node:http';
import type { Subscription, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HAROLD, startDemoServer, tokenOf } from '../security/demo-server.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

let server: TestServer;
let receiver: Server;
let hookUrl: string;
const received: { body: string; auth: string | undefined }[] = [];
let failNext = 0;

beforeAll(async () => {
  server = await startDemoServer({ subscriptionDelivery: { retryBaseMs: 200, maxAttempts: 3, timeoutMs: 2000 } });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end();
        return;
      }
      received.push({ body, auth: req.headers.authorization });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const address = receiver.address();
  hookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  const admin = bearer(await tokenOf(server, 'admin'));
  const allowed = await http(
    'PUT',
    `${server.url}/auth/admin/subscription-endpoints`,
    { endpoints: [hookUrl] },
    {
      ...admin,
      'content-type': 'application/json',
    },
  );
  expect(allowed.status, allowed.text).toBe(200);
});

afterAll(async () => {
  await server?.close();
  await new Promise((r) => receiver?.close(r));
});

const subscription = (endpoint: string, type: Subscription['channel']['type'] = 'rest-hook'): Subscription => ({
  resourceType: 'Subscription',
  status: 'requested',
  reason: 'Tell the EHR when the coordinator is given work',
  criteria: 'Task?owner=Practitioner/demo-coordinator',
  channel: { type, endpoint, payload: 'application/fhir+json', header: ['Authorization: Bearer ehr-secret'] },
});

const until = async (check: () => boolean | Promise<boolean>, ms = 8000) => {
  const end = Date.now() + ms;
  while (!(await check()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
};

const task = (owner: string): Task => ({
  resourceType: 'Task',
  status: 'requested',
  intent: 'order',
  description: 'Call Harold about his weight',
  for: { reference: `Patient/${HAROLD}` },
  owner: { reference: owner },
});

it('refuses endpoints not on the list and channels it does not deliver', async () => {
  const elsewhere = await http('POST', `${server.fhir}/Subscription`, subscription('https://attacker.example/steal'));
  expect(elsewhere.status).toBe(422);
  expect(elsewhere.text).toContain('not on the administrator');
  const email = await http('POST', `${server.fhir}/Subscription`, subscription('mailto:x@example.org', 'email'));
  expect(email.status).toBe(422);
  // A patient cannot subscribe (care team members and backend systems can, each under their own access).
  const patient = bearer(await tokenOf(server, 'patient'));
  expect((await http('POST', `${server.fhir}/Subscription`, subscription(hookUrl), patient)).status).toBe(403);
});

it('delivers a matching write, not others, and retries a failed delivery with the failure recorded', async () => {
  const created = await http<Subscription>('POST', `${server.fhir}/Subscription`, subscription(hookUrl));
  expect(created.status, created.text).toBe(201);
  const active = await http<Subscription>('GET', `${server.fhir}/Subscription/${created.body.id}`);
  expect(active.body.status).toBe('active');

  const mine = await http<Task>('POST', `${server.fhir}/Task`, task('Practitioner/demo-coordinator'));
  await http('POST', `${server.fhir}/Task`, task('Practitioner/demo-pcp'));
  await until(() => received.length >= 1);
  expect(received).toHaveLength(1);
  expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({ resourceType: 'Task', id: mine.body.id });
  expect(received[0]?.auth).toBe('Bearer ehr-secret');

  failNext = 1;
  const second = await http<Task>('POST', `${server.fhir}/Task`, task('Practitioner/demo-coordinator'));
  await until(
    async () =>
      ((await http<Subscription>('GET', `${server.fhir}/Subscription/${created.body.id}`)).body.error ?? '') !== '',
  );
  const failed = await http<Subscription>('GET', `${server.fhir}/Subscription/${created.body.id}`);
  expect(failed.body.error).toContain('the endpoint answered 500; retry 2 of 3 queued');
  await until(() => received.length >= 2);
  expect(JSON.parse(received[1]?.body ?? '{}').id).toBe(second.body.id);
});
