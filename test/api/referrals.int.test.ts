// Closed-loop referrals over HTTP, from the need that caused one to the outcome that closed it: the
// directory proposes services for the patient's need, the coordinator refers, the fulfilment Task
// appears, the receiving organization (who sees only what was sent to it) accepts, schedules and
// completes it with its outcome, and the measure counts the loop closed; a declined referral sends
// the coordinator a task; out-of-order states are refused.
import type { Bundle, MeasureReport, ServiceRequest, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HAROLD, ROSA, startDemoServer, tokenOf } from '../security/demo-server.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

let server: TestServer;
const as: Record<string, Record<string, string>> = {};
beforeAll(async () => {
  server = await startDemoServer();
  for (const user of ['coordinator', 'foodbank', 'caregiver', 'patient'])
    as[user] = bearer(await tokenOf(server, user));
});
afterAll(async () => {
  await server?.close();
});

const FOOD_BANK = 'Organization/demo-food-bank';
const resources = <T>(b: Bundle, type: string) =>
  (b.entry ?? []).filter((e) => e.resource?.resourceType === type).map((e) => e.resource as T);

const referral = (extra: Partial<ServiceRequest> = {}): ServiceRequest => ({
  resourceType: 'ServiceRequest',
  status: 'active',
  intent: 'order',
  priority: 'routine',
  category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' }] }],
  code: { text: 'Food pantry and SNAP enrollment help' },
  subject: { reference: `Patient/${ROSA}` },
  requester: { reference: 'Practitioner/demo-coordinator' },
  performer: [{ reference: FOOD_BANK, display: 'Riverbend Community Food Bank' }],
  reasonReference: [{ reference: 'Condition/demo-rosa-delgado-food-insecurity' }],
  authoredOn: new Date().toISOString(),
  ...extra,
});

async function send(extra: Partial<ServiceRequest> = {}): Promise<{ request: ServiceRequest; task: Task }> {
  const created = await http<ServiceRequest>('POST', `${server.fhir}/ServiceRequest`, referral(extra), as.coordinator);
  expect(created.status, created.text).toBe(201);
  const tasks = await http<Bundle>(
    'GET',
    `${server.fhir}/Task?focus=ServiceRequest/${created.body.id}`,
    undefined,
    as.coordinator,
  );
  const [task] = resources<Task>(tasks.body, 'Task');
  if (!task) throw new Error('no fulfilment task');
  return { request: created.body, task };
}

async function move(task: Task, status: Task['status'], extra: Partial<Task> = {}, who = as.foodbank) {
  const current = await http<Task>('GET', `${server.fhir}/Task/${task.id}`, undefined, who);
  return http<Task>('PUT', `${server.fhir}/Task/${task.id}`, { ...current.body, status, ...extra }, who);
}

it('the directory proposes food services for Rosa’s need, in Spanish, nearest her home first', async () => {
  const res = await http<Bundle>(
    'GET',
    `${server.fhir}/HealthcareService/$find-services?patient=${ROSA}&language=Spanish`,
    undefined,
    as.coordinator,
  );
  expect(res.status, res.text).toBe(200);
  const matches = (res.body.entry ?? []).filter((e) => e.search?.mode === 'match');
  expect(matches.map((e) => e.resource?.id)).toEqual(['demo-service-food-pantry', 'demo-service-despensa']);
  const distances = matches.map((e) => e.search?.extension?.[0]?.valueDecimal ?? 0);
  expect(distances[0]).toBeLessThan(distances[1] as number);
  // By need and distance from a point, without a patient.
  const near = await http<Bundle>(
    'GET',
    `${server.fhir}/HealthcareService/$find-services?need=food&near=44.94|-123.03&within-km=5`,
    undefined,
    as.coordinator,
  );
  expect(resources(near.body, 'HealthcareService').map((s) => (s as { id: string }).id)).toEqual([
    'demo-service-food-pantry',
  ]);
  const bad = await http(
    'GET',
    `${server.fhir}/HealthcareService/$find-services?need=food&within-km=5`,
    undefined,
    as.coordinator,
  );
  expect(bad.status).toBe(400);
});

it('a referral is followed from the need to the outcome that closes it', async () => {
  const { request, task } = await send();
  expect(task).toMatchObject({
    status: 'requested',
    owner: { reference: FOOD_BANK },
    for: { reference: `Patient/${ROSA}` },
  });

  // The food bank sees what was sent to it, and the patient's demographics; nothing else.
  const inbox = await http<Bundle>('GET', `${server.fhir}/Task?owner=${FOOD_BANK}`, undefined, as.foodbank);
  expect(resources<Task>(inbox.body, 'Task').map((t) => t.id)).toContain(task.id);
  const rosaTasks = await http<Bundle>('GET', `${server.fhir}/Task?patient=${ROSA}`, undefined, as.foodbank);
  expect(resources<Task>(rosaTasks.body, 'Task').every((t) => t.owner?.reference === FOOD_BANK)).toBe(true);
  expect((await http('GET', `${server.fhir}/Patient/${ROSA}`, undefined, as.foodbank)).status).toBe(200);
  expect((await http('GET', `${server.fhir}/ServiceRequest/${request.id}`, undefined, as.foodbank)).status).toBe(200);
  expect((await http('GET', `${server.fhir}/Condition?patient=${ROSA}`, undefined, as.foodbank)).status).toBe(403);
  expect((await http('GET', `${server.fhir}/Patient/${HAROLD}`, undefined, as.foodbank)).status).toBe(404);

  // Out of order: nothing can be completed before it is accepted.
  const early = await move(task, 'completed');
  expect(early.status).toBe(422);
  expect(early.text).toContain('can become');
  expect((await move(task, 'received')).status).toBe(200);
  expect((await move(task, 'accepted')).status).toBe(200);
  expect((await move(task, 'in-progress')).status).toBe(200);
  const noOutcome = await move(task, 'completed');
  expect(noOutcome.status).toBe(422);
  expect(noOutcome.text).toContain('outcome');
  const report = await http<{ id: string }>(
    'POST',
    `${server.fhir}/DocumentReference`,
    {
      resourceType: 'DocumentReference',
      status: 'current',
      subject: { reference: `Patient/${ROSA}` },
      author: [{ reference: FOOD_BANK }],
      description: 'Enrolled in the weekly pantry; SNAP application filed',
      content: [{ attachment: { contentType: 'text/plain', data: Buffer.from('Enrolled.').toString('base64') } }],
    },
    as.foodbank,
  );
  expect(report.status, report.text).toBe(201);
  const done = await move(task, 'completed', {
    output: [
      {
        type: { text: 'Outcome report' },
        valueReference: { reference: `DocumentReference/${report.body.id}` },
      },
    ],
  });
  expect(done.status, done.text).toBe(200);
  const closed = await http<ServiceRequest>(
    'GET',
    `${server.fhir}/ServiceRequest/${request.id}`,
    undefined,
    as.coordinator,
  );
  expect(closed.body.status).toBe('completed');
  expect((await move(task, 'in-progress')).status).toBe(422);

  // The patient's side: her caregiver sees the referral and its state.
  const mine = await http<Bundle>('GET', `${server.fhir}/Task?patient=${ROSA}&_id=${task.id}`, undefined, as.caregiver);
  expect(resources<Task>(mine.body, 'Task')[0]?.status).toBe('completed');
});

it('a declined referral gives the coordinator a task to find another destination', async () => {
  const { task } = await send({ code: { text: 'Home-delivered meals' } });
  const noReason = await move(task, 'rejected');
  expect(noReason.status).toBe(422);
  expect((await move(task, 'rejected', { statusReason: { text: 'Outside our delivery area' } })).status).toBe(200);
  const followUps = await http<Bundle>('GET', `${server.fhir}/Task?focus=Task/${task.id}`, undefined, as.coordinator);
  const [followUp] = resources<Task>(followUps.body, 'Task');
  expect(followUp).toMatchObject({ owner: { reference: 'Practitioner/demo-coordinator' }, status: 'requested' });
  expect(followUp?.description).toContain('Outside our delivery area');
});

it('loop closure per destination, as a measure', async () => {
  const res = await http<MeasureReport>(
    'GET',
    `${server.fhir}/ServiceRequest/$referral-measure`,
    undefined,
    as.coordinator,
  );
  expect(res.status, res.text).toBe(200);
  const group = res.body.group?.find((g) => g.code?.text === 'Riverbend Community Food Bank');
  const count = (text: string) => group?.population?.find((p) => p.code?.text === text)?.count;
  expect(count('Referrals sent')).toBe(2);
  expect(count('Closed with an outcome')).toBe(1);
  expect(group?.measureScore?.value).toBe(0.5);
  expect(group?.extension?.find((e) => e.url.endsWith('median-days-to-close'))?.valueDecimal).toBe(0);
});

it('the food bank cannot reach other patients’ records by guessing', async () => {
  const res = await http<Bundle>('GET', `${server.fhir}/Patient`, undefined, as.foodbank);
  expect(resources<{ id: string }>(res.body, 'Patient').map((p) => p.id)).toEqual([ROSA]);
  expect((await http('GET', `${server.fhir}/Patient`, undefined, as.patient)).status).toBe(200);
});

it('a referral paused and resumed, then failed with a reason, as the Gravity states allow', async () => {
  const { request, task } = await send({ code: { text: 'Weekly grocery delivery' } });
  expect((await move(task, 'accepted')).status).toBe(200);
  expect((await move(task, 'in-progress')).status).toBe(200);
  expect((await move(task, 'on-hold', { statusReason: { text: 'Driver shortage this month' } })).status).toBe(200);
  const paused = await http<ServiceRequest>(
    'GET',
    `${server.fhir}/ServiceRequest/${request.id}`,
    undefined,
    as.coordinator,
  );
  expect(paused.body.status).toBe('on-hold');
  expect((await move(task, 'in-progress')).status).toBe(200);
  const resumed = await http<ServiceRequest>(
    'GET',
    `${server.fhir}/ServiceRequest/${request.id}`,
    undefined,
    as.coordinator,
  );
  expect(resumed.body.status).toBe('active');
  expect((await move(task, 'failed', { statusReason: undefined })).status).toBe(422);
  expect((await move(task, 'failed', { statusReason: { text: 'Could not reach the patient at home' } })).status).toBe(
    200,
  );
  // An end state: nothing moves it on, and the coordinator is asked to find another destination.
  expect((await move(task, 'in-progress')).status).toBe(422);
  const followUps = await http<Bundle>('GET', `${server.fhir}/Task?focus=Task/${task.id}`, undefined, as.coordinator);
  const [followUp] = resources<Task>(followUps.body, 'Task');
  expect(followUp?.owner?.reference).toBe('Practitioner/demo-coordinator');
  expect(followUp?.description).toContain('could not be completed');
  expect(followUp?.description).toContain('Could not reach the patient at home');
});
