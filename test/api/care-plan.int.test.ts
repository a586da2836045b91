// The shared care plan over HTTP: a coordinator, a physician, a pharmacist and the patient each
// contribute; every contribution has its Provenance; conflicting goals reach the coordinator; an
// activity taken out of the plan cancels its task; the history says who changed what.
import type { Bundle, CarePlan, CareTeam, Goal, Provenance, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays } from '../../src/care/calendar/calendar-days.js';
import { GLORIA, HAROLD, startDemoServer, tokenOf } from '../security/demo-server.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

let server: TestServer;
let as: Record<string, Record<string, string>>;
beforeAll(async () => {
  server = await startDemoServer();
  as = {};
  for (const user of ['coordinator', 'pcp', 'pharmacist', 'patient']) as[user] = bearer(await tokenOf(server, user));
});
afterAll(async () => {
  await server?.close();
});

const BP = { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel' }] };
const subject = { reference: `Patient/${HAROLD}` };
const entries = <T>(b: Bundle) => (b.entry ?? []).map((e) => e.resource as T);

function bpGoal(text: string, systolic: number): Goal {
  return {
    resourceType: 'Goal',
    lifecycleStatus: 'active',
    description: { text },
    subject,
    target: [{ measure: BP, detailString: `below ${systolic} systolic`, dueDate: '2027-03-01' }],
  };
}

it('four roles contribute to one plan, each with Provenance; conflicts and removed work follow', async () => {
  // The coordinator starts the plan with one activity (a task for the pharmacist).
  const task = await http<Task>(
    'POST',
    `${server.fhir}/Task`,
    {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      description: 'Review home medicines for duplications',
      for: subject,
      owner: { reference: 'Practitioner/demo-pharmacist' },
      restriction: { period: { end: '2026-12-15' } },
    },
    as.coordinator,
  );
  expect(task.status).toBe(201);
  const plan = await http<CarePlan>(
    'POST',
    `${server.fhir}/CarePlan`,
    {
      resourceType: 'CarePlan',
      status: 'active',
      intent: 'plan',
      title: 'Heart failure at home',
      category: [
        { coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category', code: 'assess-plan' }] },
      ],
      subject,
      activity: [{ reference: { reference: `Task/${task.body.id}`, display: 'Medicine review' } }],
    },
    as.coordinator,
  );
  expect(plan.status).toBe(201);

  const pcpGoal = await http<Goal>('POST', `${server.fhir}/Goal`, bpGoal('Blood pressure below 130/80', 130), as.pcp);
  expect(pcpGoal.status).toBe(201);
  const pharmacistGoal = await http<Goal>(
    'POST',
    `${server.fhir}/Goal`,
    bpGoal('Blood pressure below 150/90', 150),
    as.pharmacist,
  );
  expect(pharmacistGoal.status).toBe(201);
  const own = await http<Goal>(
    'POST',
    `${server.fhir}/Goal`,
    {
      resourceType: 'Goal',
      lifecycleStatus: 'active',
      description: { text: 'Walk to the park with my dog every morning' },
      subject,
      expressedBy: subject,
      priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-priority', code: 'high-priority' }] },
    },
    as.patient,
  );
  expect(own.status).toBe(201);

  // Each contribution has an author in its role.
  const provenance = entries<Provenance>(
    (
      await http<Bundle>(
        'GET',
        `${server.fhir}/Provenance?target=Goal/${pcpGoal.body.id},Goal/${own.body.id},CarePlan/${plan.body.id}`,
      )
    ).body,
  );
  const author = (target: string) => {
    const p = provenance.find((x) => x.target[0]?.reference?.startsWith(target));
    return [p?.agent[0]?.who?.reference, p?.agent[0]?.role?.[0]?.text];
  };
  expect(author(`CarePlan/${plan.body.id}/_history/1`)).toEqual(['Practitioner/demo-coordinator', 'coordinator']);
  expect(author(`Goal/${pcpGoal.body.id}/_history/1`)).toEqual(['Practitioner/demo-pcp', 'physician']);
  expect(author(`Goal/${own.body.id}/_history/1`)).toEqual([`Patient/${HAROLD}`, 'patient']);

  // The two blood pressure goals conflict: the coordinator is asked to resolve them.
  const review = entries<Task>(
    (
      await http<Bundle>(
        'GET',
        `${server.fhir}/Task?patient=${HAROLD}&code=http://careloop.org/fhir/CodeSystem/task-type|care-plan-review`,
      )
    ).body,
  );
  expect(review).toHaveLength(1);
  expect(review[0]?.owner?.reference).toBe('Practitioner/demo-coordinator');
  expect(review[0]?.description).toContain('Blood pressure below 150/90');

  // The physician links their goal into the plan and the coordinator takes the review task out.
  const linked = await http<CarePlan>(
    'PUT',
    `${server.fhir}/CarePlan/${plan.body.id}`,
    { ...plan.body, goal: [{ reference: `Goal/${pcpGoal.body.id}`, display: 'Blood pressure below 130/80' }] },
    as.pcp,
  );
  expect(linked.status, linked.text).toBe(200);
  const { activity: _removed, ...withoutActivity } = linked.body;
  const trimmed = await http('PUT', `${server.fhir}/CarePlan/${plan.body.id}`, withoutActivity, as.coordinator);
  expect(trimmed.status, trimmed.text).toBe(200);
  const cancelled = await http<Task>('GET', `${server.fhir}/Task/${task.body.id}`);
  expect(cancelled.body.status).toBe('cancelled');
  expect(cancelled.body.statusReason?.text).toBe('Cancelled because it was removed from the care plan');
  expect(cancelled.body.note?.[0]?.authorString).toBe('coordinator');

  // The patient records progress on their own goal.
  const progressed = await http(
    'PUT',
    `${server.fhir}/Goal/${own.body.id}`,
    {
      ...own.body,
      achievementStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: 'improving', display: 'Improving' },
        ],
      },
    },
    as.patient,
  );
  expect(progressed.status).toBe(200);

  const history = await http<{ parameter: { part: { name: string; valueString?: string }[] }[] }>(
    'GET',
    `${server.fhir}/CarePlan/${plan.body.id}/$care-plan-history`,
    undefined,
    as.pharmacist,
  );
  expect(history.status).toBe(200);
  const lines = history.body.parameter.map((p) => {
    const get = (n: string) => p.part.find((x) => x.name === n)?.valueString;
    return `${get('who')} (${get('role')}): ${get('text')}`;
  });
  expect(lines).toEqual(
    expect.arrayContaining([
      'coordinator (coordinator): created the care plan "Heart failure at home"',
      'pcp (physician): linked the goal "Blood pressure below 130/80"',
      'coordinator (coordinator): removed the activity "Medicine review"',
      'pharmacist (pharmacist): added the goal "Blood pressure below 150/90"',
      'patient (patient): added the goal "Walk to the park with my dog every morning"',
      'patient (patient): recorded progress on "Walk to the park with my dog every morning": Improving',
    ]),
  );
});

it('membership operations change who is on the team, and access follows at once', async () => {
  const team = `${server.fhir}/CareTeam/${GLORIA}-team`;
  const readGloria = async () =>
    (await http('GET', `${server.fhir}/Patient/${GLORIA}`, undefined, as.pharmacist)).status;
  expect(await readGloria()).toBe(404);
  const pharmacist = {
    name: 'member',
    valueReference: { reference: 'Practitioner/demo-pharmacist', display: 'Priya Natarajan' },
  };
  const added = await http<CareTeam>(
    'POST',
    `${team}/$add-member`,
    { resourceType: 'Parameters', parameter: [pharmacist, { name: 'role', valueString: 'Clinical pharmacist' }] },
    as.coordinator,
  );
  expect(added.status, added.text).toBe(200);
  expect(added.body.participant?.at(-1)?.role?.[0]?.text).toBe('Clinical pharmacist');
  expect(await readGloria()).toBe(200);

  const twice = await http(
    'POST',
    `${team}/$add-member`,
    { resourceType: 'Parameters', parameter: [pharmacist, { name: 'role', valueString: 'x' }] },
    as.coordinator,
  );
  expect(twice.status).toBe(422);

  const changed = await http<CareTeam>(
    'POST',
    `${team}/$change-member`,
    { resourceType: 'Parameters', parameter: [pharmacist, { name: 'role', valueString: 'Consulting pharmacist' }] },
    as.coordinator,
  );
  expect(changed.body.participant?.at(-1)?.role?.[0]?.text).toBe('Consulting pharmacist');

  const yesterday = addDays(server.clock.today(), -1);
  const ended = await http<CareTeam>(
    'POST',
    `${team}/$end-member`,
    { resourceType: 'Parameters', parameter: [pharmacist, { name: 'end', valueDate: yesterday }] },
    as.coordinator,
  );
  expect(ended.status, ended.text).toBe(200);
  expect(ended.body.participant?.at(-1)?.period?.end).toBe(yesterday);
  expect(await readGloria()).toBe(404);

  // Someone outside the team cannot change it.
  const outsider = await http(
    'POST',
    `${team}/$add-member`,
    { resourceType: 'Parameters', parameter: [pharmacist, { name: 'role', valueString: 'x' }] },
    as.pharmacist,
  );
  expect(outsider.status).toBe(404);
});

it('Patient/$care-summary gives a team member the whole picture in one call, within their access', async () => {
  const res = await http<Bundle>('GET', `${server.fhir}/Patient/${HAROLD}/$care-summary`, undefined, as.pharmacist);
  expect(res.status, res.text).toBe(200);
  expect(res.body.type).toBe('collection');
  const section = (name: string) =>
    (res.body.entry ?? [])
      .filter((e) => (e as { extension?: { valueCode?: string }[] }).extension?.[0]?.valueCode === name)
      .map((e) => e.resource?.resourceType);
  expect(section('patient')).toEqual(['Patient']);
  expect(section('careTeam')).toEqual(['CareTeam']);
  expect(section('members')).toContain('Practitioner');
  expect(section('carePlan')).toEqual(['CarePlan']);
  expect(section('goals').length).toBeGreaterThan(0);
  // 13 home prescriptions and the 14 discharge orders of his last stay.
  expect(section('medications').length).toBe(27);
  expect(section('tasks').length).toBeGreaterThan(0);
  expect(section('needs')).toEqual(['Parameters']);
  // Another patient's summary is not the patient's to read.
  expect((await http('GET', `${server.fhir}/Patient/${GLORIA}/$care-summary`, undefined, as.patient)).status).toBe(404);
});

it('Task/$worklist: my open tasks overdue first, by priority and how overdue; the overdue ones across my panel', async () => {
  const mine = await http<Bundle>('GET', `${server.fhir}/Task/$worklist`, undefined, as.coordinator);
  expect(mine.status, mine.text).toBe(200);
  // The demo's hand-made worklist; the transition episodes' own TCM tasks (due by weekday) aside.
  const handMade = (b: Bundle) => entries<Task>(b).filter((t) => !t.focus?.reference?.startsWith('EpisodeOfCare/'));
  const descriptions = handMade(mine.body).map((t) => t.description ?? '');
  expect(descriptions[0]).toMatch(/^Referral to behavioral health/); // 3 days overdue
  expect(descriptions[1]).toMatch(/^Confirm the home health/); // 1 day overdue
  expect(descriptions[2]).toMatch(/^Weight up 2.4 kg/); // due today, asap
  expect(descriptions.at(-1)).toMatch(/^Annual care plan review/); // in two weeks
  const overdue = await http<Bundle>(
    'GET',
    `${server.fhir}/Task/$worklist?panel=true&overdue=true`,
    undefined,
    as.coordinator,
  );
  expect(handMade(overdue.body).map((t) => t.description?.slice(0, 20))).toEqual([
    'Referral to behavior',
    'Confirm the home hea',
  ]);
  // The pharmacist's own list has only their work.
  const pharmacist = await http<Bundle>('GET', `${server.fhir}/Task/$worklist`, undefined, as.pharmacist);
  expect(entries<Task>(pharmacist.body).every((t) => t.owner?.reference === 'Practitioner/demo-pharmacist')).toBe(true);
});
