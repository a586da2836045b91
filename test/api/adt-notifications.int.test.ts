// Admission and discharge notifications out (Subscriptions R5 Backport topics, R4): an outside EHR
// subscribes to Arthur's discharges and to every admission it may see; the endpoint gets the
// handshake before the subscription turns active, then one event notification per admission and
// per discharge (not per update of the stay), numbered, with the payload asked for, and heartbeats
// while nothing happens. Unknown topics and filters on other resources are refused.
import { createServer, type Server } from 'node:http';
import type { Bundle, Encounter, Parameters, Subscription } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendMllp } from '../../src/server/mllp/mllp-transport.js';
import { startDemoServer, tokenOf } from '../security/demo-server.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

const ARTHUR = 'demo-arthur-lindqvist';
const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';
const TOPIC = 'http://careloop.org/fhir/SubscriptionTopic';

let server: TestServer;
let receiver: Server;
let endpoint: string;
const received: { path: string; bundle: Bundle }[] = [];

beforeAll(async () => {
  server = await startDemoServer({
    mllp: true,
    subscriptionDelivery: { retryBaseMs: 200, maxAttempts: 3, timeoutMs: 2000 },
  });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', bundle: JSON.parse(body || '{}') as Bundle });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const address = receiver.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const admin = bearer(await tokenOf(server, 'admin'));
  const allowed = await http(
    'PUT',
    `${server.url}/auth/admin/subscription-endpoints`,
    { endpoints: [`${endpoint}/discharges`, `${endpoint}/admissions`] },
    { ...admin, 'content-type': 'application/json' },
  );
  expect(allowed.status, allowed.text).toBe(200);
  const stored = JSON.parse((await server.repository.read('Patient', ARTHUR)).json ?? '{}');
  await server.repository.update('Patient', ARTHUR, {
    ...stored,
    identifier: [...(stored.identifier ?? []), { system: 'urn:oid:2.16.840.1.113883.19.5.99999.2', value: 'N-77' }],
  });
});

afterAll(async () => {
  await server?.close();
  await new Promise((r) => receiver?.close(r));
});

const topicSubscription = (
  topic: string,
  path: string,
  options: { filter?: string; payload?: string; heartbeat?: number } = {},
): Subscription =>
  ({
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'Tell the PCP office of hospital stays',
    criteria: `${TOPIC}/${topic}`,
    ...(options.filter
      ? { _criteria: { extension: [{ url: `${BACKPORT}/backport-filter-criteria`, valueString: options.filter }] } }
      : {}),
    channel: {
      type: 'rest-hook',
      endpoint: `${endpoint}${path}`,
      payload: 'application/fhir+json',
      _payload: {
        extension: [{ url: `${BACKPORT}/backport-payload-content`, valueCode: options.payload ?? 'id-only' }],
      },
      ...(options.heartbeat
        ? { extension: [{ url: `${BACKPORT}/backport-heartbeat-period`, valueUnsignedInt: options.heartbeat }] }
        : {}),
    },
  }) as Subscription;

const statusOf = (bundle: Bundle) => {
  const params = (bundle.entry?.[0]?.resource as Parameters | undefined)?.parameter ?? [];
  const value = (name: string) => params.find((p) => p.name === name);
  const event = value('notification-event')?.part ?? [];
  return {
    type: value('type')?.valueCode,
    topic: value('topic')?.valueCanonical,
    events: value('events-since-subscription-start')?.valueString,
    number: event.find((p) => p.name === 'event-number')?.valueString,
    focus: event.find((p) => p.name === 'focus')?.valueReference?.reference,
  };
};
const at = (path: string) =>
  received.filter((r) => r.path === path).map((r) => ({ ...statusOf(r.bundle), bundle: r.bundle }));
const day = (offset: number) =>
  new Date(server.clock.now() + offset * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
const adt = (event: string, control: string, discharge = '', disposition = '') =>
  [
    `MSH|^~\\&|EPIC|MERCY|CARELOOP|CLINIC|${day(0)}0900||ADT^${event}|${control}|P|2.5.1`,
    'PID|1||N-77^^^&2.16.840.1.113883.19.5.99999.2&ISO^MR||Lindqvist^Arthur||19661108|M',
    `PV1|1|I|4E^401^A^MERCY||||1234^Okafor^Grace|||||||7|||||NOTE-1^^^MERCY^VN${'|'.repeat(17)}${disposition}${'|'.repeat(8)}${day(-2)}0800|${discharge}`,
  ].join('\r');

it('refuses a topic Careloop does not offer, and a filter on another resource', async () => {
  const unknown = await http('POST', `${server.fhir}/Subscription`, topicSubscription('transfer', '/admissions'));
  expect(unknown.status).toBe(422);
  const wrong = await http(
    'POST',
    `${server.fhir}/Subscription`,
    topicSubscription('admission', '/admissions', { filter: `Observation?patient=Patient/${ARTHUR}` }),
  );
  expect(wrong.status).toBe(422);
  expect(wrong.text).toContain('searches Encounter');
});

it('shakes hands, then tells each admission and discharge once, numbered, with heartbeats between', async () => {
  const discharges = await http<Subscription>(
    'POST',
    `${server.fhir}/Subscription`,
    topicSubscription('discharge', '/discharges', {
      filter: `Encounter?patient=Patient/${ARTHUR}`,
      payload: 'full-resource',
      heartbeat: 1,
    }),
  );
  expect(discharges.status, discharges.text).toBe(201);
  expect(discharges.body.status).toBe('requested');
  const admissions = await http<Subscription>(
    'POST',
    `${server.fhir}/Subscription`,
    topicSubscription('admission', '/admissions'),
  );
  expect(admissions.status, admissions.text).toBe(201);
  await expect.poll(() => at('/discharges').filter((n) => n.type === 'handshake').length, { timeout: 5000 }).toBe(1);
  await expect
    .poll(
      async () => (await http<Subscription>('GET', `${server.fhir}/Subscription/${discharges.body.id}`)).body.status,
      {
        timeout: 5000,
      },
    )
    .toBe('active');
  await expect
    .poll(
      async () => (await http<Subscription>('GET', `${server.fhir}/Subscription/${admissions.body.id}`)).body.status,
      {
        timeout: 5000,
      },
    )
    .toBe('active');

  const port = server.mllpPort as number;
  expect(await sendMllp('127.0.0.1', port, adt('A01', 'n-1'))).toContain('MSA|AA');
  await expect
    .poll(() => at('/admissions').filter((n) => n.type === 'event-notification').length, { timeout: 5000 })
    .toBe(1);
  const [admitted] = at('/admissions').filter((n) => n.type === 'event-notification');
  expect(admitted?.number).toBe('1');
  expect(admitted?.topic).toBe(`${TOPIC}/admission`);
  expect(admitted?.focus).toMatch(/\/Encounter\/[\w-]+$/);
  // id-only: the focus named, the resource not sent.
  expect(admitted?.bundle.entry?.[1]?.resource).toBeUndefined();

  expect(await sendMllp('127.0.0.1', port, adt('A08', 'n-2'))).toContain('MSA|AA');
  expect(await sendMllp('127.0.0.1', port, adt('A03', 'n-3', `${day(0)}1000`, '01'))).toContain('MSA|AA');
  await expect
    .poll(() => at('/discharges').filter((n) => n.type === 'event-notification').length, { timeout: 5000 })
    .toBe(1);
  const [discharged] = at('/discharges').filter((n) => n.type === 'event-notification');
  expect(discharged?.number).toBe('1');
  expect(discharged?.events).toBe('1');
  const encounter = discharged?.bundle.entry?.[1]?.resource as Encounter | undefined;
  expect(encounter?.status).toBe('finished');
  expect(encounter?.subject?.reference).toBe(`Patient/${ARTHUR}`);
  // The update and the discharge were no admissions.
  expect(at('/admissions').filter((n) => n.type === 'event-notification')).toHaveLength(1);
  // Nothing more happens: heartbeats say the channel is alive.
  await expect
    .poll(() => at('/discharges').filter((n) => n.type === 'heartbeat').length, { timeout: 5000 })
    .toBeGreaterThan(0);
  expect(at('/discharges').find((n) => n.type === 'heartbeat')?.events).toBe('1');
});
