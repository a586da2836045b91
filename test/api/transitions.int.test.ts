// A real-looking admission and discharge fed through the FHIR API: the episode (once, however the
// messages come), the readiness list, LACE, the dated TCM tasks across Thanksgiving, the logged
// contact attempts and the code they support, the call script raising a task, the after-hospital
// plan, a readmission linked, the 30-day close and the measures.
import type { Bundle, Encounter, EpisodeOfCare, MeasureReport, Parameters, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CALL_SCRIPT_URL } from '../../src/care/transitions/call-script.js';
import { PLANNED_END_URL } from '../../src/care/transitions/expected-discharge.js';
import { transitionCloseHandler } from '../../src/jobs/transition-close/transition-close-job.js';
import { http, startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const put = async (resource: { resourceType: string; id: string }) => {
  const res = await http('PUT', `${server.fhir}/${resource.resourceType}/${resource.id}`, resource);
  expect(res.status, res.text).toBeLessThan(300);
  return res;
};
const search = async <T>(query: string): Promise<T[]> =>
  ((await http<Bundle>('GET', `${server.fhir}/${query}`)).body.entry ?? []).map((e) => e.resource as T);
const param = (body: Parameters, name: string) => (body.parameter ?? []).filter((p) => p.name === name);
const part = (p: Parameters['parameter'] extends (infer X)[] | undefined ? X : never, name: string) =>
  p.part?.find((x) => x.name === name);

const stay = (id: string, patient: string, extra: Partial<Encounter>): Encounter & { id: string } => ({
  resourceType: 'Encounter',
  id,
  status: 'in-progress',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
  priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActPriority', code: 'EM' }] },
  subject: { reference: `Patient/${patient}` },
  serviceProvider: { display: 'Lakeside General Hospital' },
  period: { start: '2026-11-21T14:00:00Z' },
  // The expected discharge (R5 plannedEndDate): the follow-up is booked for after it.
  extension: [{ url: PLANNED_END_URL, valueDateTime: '2026-11-25T16:00:00Z' }],
  ...extra,
});
const discharged = (disposition: string) => ({
  status: 'finished' as const,
  period: { start: '2026-11-21T14:00:00Z', end: '2026-11-25T16:00:00Z' },
  hospitalization: {
    dischargeDisposition: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: disposition }],
    },
  },
});

it('from admission to discharge, the TCM clock, the call, a readmission and the 30-day close', async () => {
  for (const p of ['t-ann', 't-bob']) {
    await put({
      resourceType: 'Patient',
      id: p,
      name: [{ given: [p === 't-ann' ? 'Ann' : 'Bob'], family: 'Test' }],
    } as never);
    await put({
      resourceType: 'CareTeam',
      id: `${p}-team`,
      status: 'active',
      subject: { reference: `Patient/${p}` },
      participant: [
        {
          role: [{ text: 'Care coordinator' }],
          member: { reference: 'Practitioner/t-coord', display: 'Cora Coordinator' },
        },
        { role: [{ text: 'Primary care physician' }], member: { reference: 'Practitioner/t-pcp' } },
        { role: [{ text: 'Clinical pharmacist' }], member: { reference: 'Practitioner/t-pharm' } },
      ],
    } as never);
  }
  await put({
    resourceType: 'Practitioner',
    id: 't-coord',
    name: [{ given: ['Cora'], family: 'Coordinator', suffix: ['RN'] }],
    telecom: [{ system: 'phone', value: '555-0150' }],
  } as never);
  await put({ resourceType: 'Practitioner', id: 't-pcp', name: [{ given: ['Paul'], family: 'Physician' }] } as never);
  for (const [id, text] of [
    ['t-c1', 'Congestive heart failure'],
    ['t-c2', 'Chronic kidney disease stage 3'],
  ])
    await put({
      resourceType: 'Condition',
      id,
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      subject: { reference: 'Patient/t-ann' },
      code: { text },
    } as never);
  await put({
    resourceType: 'Encounter',
    id: 't-ed',
    status: 'finished',
    class: { code: 'EMER' },
    subject: { reference: 'Patient/t-ann' },
    period: { start: '2026-09-10T08:00:00Z', end: '2026-09-10T12:00:00Z' },
  } as never);

  // Admission, sent twice: one episode, one planning task for the coordinator.
  await put(stay('t-stay', 't-ann', {}));
  await put(stay('t-stay', 't-ann', {}));
  let episodes = await search<EpisodeOfCare>('EpisodeOfCare?patient=t-ann');
  expect(episodes).toHaveLength(1);
  const episode = episodes[0] as EpisodeOfCare;
  const planning = await search<Task>(
    `Task?focus=EpisodeOfCare/${episode.id}&code=http://careloop.org/fhir/CodeSystem/task-type|discharge-planning`,
  );
  expect(planning).toHaveLength(1);
  expect(planning[0]?.owner?.reference).toBe('Practitioner/t-coord');

  const readiness = await http<Parameters>('GET', `${server.fhir}/EpisodeOfCare/${episode.id}/$readiness`);
  expect(readiness.status, readiness.text).toBe(200);
  const items = param(readiness.body, 'item');
  expect(items).toHaveLength(11);
  const state = (id: string) => part(items.find((i) => part(i, 'id')?.valueCode === id) as never, 'state')?.valueCode;
  expect(state('medication-reconciliation')).toBe('open');
  expect(state('follow-up-appointment')).toBe('open');

  // The teach-back is recorded; a follow-up is booked: the list moves.
  await http('POST', `${server.fhir}/Procedure`, {
    resourceType: 'Procedure',
    status: 'completed',
    subject: { reference: 'Patient/t-ann' },
    code: { coding: [{ system: 'http://careloop.org/fhir/CodeSystem/transition-item', code: 'teach-back' }] },
    performedDateTime: '2026-11-24T10:00:00Z',
  });
  await http('POST', `${server.fhir}/Appointment`, {
    resourceType: 'Appointment',
    status: 'booked',
    start: '2026-12-01T10:00:00Z',
    end: '2026-12-01T10:30:00Z',
    participant: [{ actor: { reference: 'Patient/t-ann' }, status: 'accepted' }],
  });
  const again = param(
    (await http<Parameters>('GET', `${server.fhir}/EpisodeOfCare/${episode.id}/$readiness`)).body,
    'item',
  );
  const state2 = (id: string) => part(again.find((i) => part(i, 'id')?.valueCode === id) as never, 'state')?.valueCode;
  expect(state2('teach-back')).toBe('done');

  // Discharged home the day before Thanksgiving, an emergency admission of 4 days.
  await put(stay('t-stay', 't-ann', discharged('home')));
  await put(stay('t-stay', 't-ann', discharged('home')));
  const status = await http<Parameters>('GET', `${server.fhir}/EpisodeOfCare/${episode.id}/$tcm-status`);
  const lace = param(status.body, 'lace')[0];
  expect(
    ['total', 'band', 'L', 'A', 'C', 'E'].map(
      (n) => part(lace as never, n)?.valueInteger ?? part(lace as never, n)?.valueCode,
    ),
  ).toEqual([11, 'high', 4, 3, 3, 1]);
  expect(param(status.body, 'contactDue')[0]?.valueDate).toBe('2026-11-30');
  expect(param(status.body, 'faceToFaceDue')[0]?.valueDate).toBe('2026-12-02');
  const tasks = await search<Task>(`Task?focus=EpisodeOfCare/${episode.id}&_count=50`);
  const due = (code: string) =>
    tasks
      .filter((t) => t.code?.coding?.[0]?.code === code)
      .map((t) => t.restriction?.period?.end)
      .sort();
  expect(due('post-discharge-contact')).toEqual(['2026-11-30']);
  expect(due('post-discharge-visit')).toEqual(['2026-12-02']);
  expect(due('medication-reconciliation')).toEqual(['2026-12-02']);
  expect(due('outreach-call')).toEqual(['2026-12-02', '2026-12-09', '2026-12-16', '2026-12-20']);
  expect(tasks.find((t) => t.code?.coding?.[0]?.code === 'post-discharge-visit')?.owner?.reference).toBe(
    'Practitioner/t-pcp',
  );
  // The follow-up was booked before discharge: no task to book one; the discharge closed the planning task.
  const statusOf = (code: string) => tasks.filter((t) => t.code?.coding?.[0]?.code === code).map((t) => t.status);
  expect(statusOf('book-follow-up')).toEqual([]);
  expect(statusOf('discharge-planning')).toEqual(['completed']);
  // The visit task knows the booked visit.
  expect(statusOf('post-discharge-visit')).toEqual(['requested']);
  // LACE is high, but the complexity is the physician's to record: no code until then.
  expect(param(status.body, 'complexity')).toEqual([]);
  expect(param(status.body, 'suggestedComplexity')[0]?.valueCode).toBe('high');
  const recorded = await http('POST', `${server.fhir}/EpisodeOfCare/${episode.id}/$record-tcm-complexity`, {
    resourceType: 'Parameters',
    parameter: [{ name: 'complexity', valueCode: 'high' }],
  });
  expect(recorded.status, recorded.text).toBe(200);

  // Two timely unsuccessful calls, the visit on day 6, medications reconciled before it: 99496.
  for (const sent of ['2026-11-26T15:00:00Z', '2026-11-30T10:00:00Z'])
    await http('POST', `${server.fhir}/Communication`, {
      resourceType: 'Communication',
      status: 'not-done',
      statusReason: { text: 'No answer; voicemail left' },
      subject: { reference: 'Patient/t-ann' },
      about: [{ reference: `EpisodeOfCare/${episode.id}` }],
      medium: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'PHONE' }] }],
      sent,
    });
  await put({
    resourceType: 'Encounter',
    id: 't-visit',
    status: 'finished',
    class: { code: 'AMB' },
    subject: { reference: 'Patient/t-ann' },
    period: { start: '2026-12-01T10:00:00Z', end: '2026-12-01T10:30:00Z' },
  } as never);
  await http('POST', `${server.fhir}/List`, {
    resourceType: 'List',
    status: 'current',
    mode: 'snapshot',
    code: { coding: [{ system: 'http://careloop.org/fhir/CodeSystem/list-kind', code: 'medication-reconciliation' }] },
    subject: { reference: 'Patient/t-ann' },
    date: '2026-11-30T12:00:00Z',
  });
  const met = await http<Parameters>('GET', `${server.fhir}/EpisodeOfCare/${episode.id}/$tcm-status`);
  expect(param(met.body, 'code')[0]?.valueCode).toBe('99496');
  // The visit and the reconciliation closed their tasks, saying what met them; failed calls did not.
  const after = await search<Task>(`Task?focus=EpisodeOfCare/${episode.id}&_count=50`);
  const closedTask = (code: string) => after.find((t) => t.code?.coding?.[0]?.code === code);
  expect(closedTask('post-discharge-visit')?.status).toBe('completed');
  expect(closedTask('post-discharge-visit')?.statusReason?.text).toMatch(/^Seen on 2026-12-01 \(Encounter\/t-visit\)$/);
  expect(closedTask('medication-reconciliation')?.status).toBe('completed');
  expect(closedTask('post-discharge-contact')?.status).toBe('requested');
  expect(part(param(met.body, 'contact')[0] as never, 'detail')?.valueString).toContain('2 timely attempts');

  // The call script: a warning sign goes to the physician, stat.
  const call = await http<{ id: string }>('POST', `${server.fhir}/QuestionnaireResponse`, {
    resourceType: 'QuestionnaireResponse',
    status: 'completed',
    questionnaire: CALL_SCRIPT_URL,
    subject: { reference: 'Patient/t-ann' },
    item: [
      { linkId: 'warning-signs', answer: [{ valueBoolean: true }] },
      { linkId: 'warning-signs-which', answer: [{ valueString: 'up 2 kg since Sunday' }] },
      { linkId: 'transport', answer: [{ valueBoolean: true }] },
    ],
  });
  expect(call.status, call.text).toBe(201);
  const raised = await search<Task>(`Task?focus=QuestionnaireResponse/${call.body.id}`);
  expect(raised.map((t) => [t.owner?.reference, t.priority])).toEqual([['Practitioner/t-pcp', 'stat']]);

  const plan = await http<Parameters>('GET', `${server.fhir}/EpisodeOfCare/${episode.id}/$after-hospital-plan`);
  expect(JSON.stringify(plan.body)).toContain('555-0150');
  expect(
    param(plan.body, 'warningSign')
      .map((w) => w.valueString)
      .join(' '),
  ).toContain('2 kg (5 pounds) in a week');

  // Readmitted on 10 December: a new episode, linked; closed at 30 days with its outcome.
  await put(stay('t-stay-2', 't-ann', { period: { start: '2026-12-10T09:00:00Z' } }));
  episodes = await search<EpisodeOfCare>('EpisodeOfCare?patient=t-ann');
  expect(episodes).toHaveLength(2);
  const first = episodes.find((e) => e.id === episode.id);
  expect(first?.extension?.find((x) => x.url.endsWith('/readmission'))?.valueReference?.reference).toBe(
    'Encounter/t-stay-2',
  );
  const result = await transitionCloseHandler({ clock: server.clock })(
    { id: 'x', kind: 'transition-close', payload: { day: '2026-12-25' } } as never,
    server.store,
  );
  expect(result).toEqual({ closed: 1 });
  const closed = (await http<EpisodeOfCare>('GET', `${server.fhir}/EpisodeOfCare/${episode.id}`)).body;
  expect(closed.status).toBe('finished');
  expect(closed.extension?.find((x) => x.url.endsWith('/transition-outcome'))?.valueCode).toBe(
    'readmitted-within-30-days',
  );

  // Bob goes to a skilled nursing facility: an episode, no TCM.
  await put(stay('t-bob-stay', 't-bob', discharged('snf')));
  const bob = (await search<EpisodeOfCare>('EpisodeOfCare?patient=t-bob'))[0] as EpisodeOfCare;
  const bobStatus = await http<Parameters>('GET', `${server.fhir}/EpisodeOfCare/${bob.id}/$tcm-status`);
  expect(param(bobStatus.body, 'eligible')[0]?.valueBoolean).toBe(false);
  expect(param(bobStatus.body, 'reason')[0]?.valueString).toContain('not to the community');
  expect(
    await search<Task>(
      `Task?focus=EpisodeOfCare/${bob.id}&code=http://careloop.org/fhir/CodeSystem/task-type|post-discharge-contact`,
    ),
  ).toHaveLength(0);

  const measures = await http<MeasureReport>('GET', `${server.fhir}/EpisodeOfCare/$transition-measures`);
  const contact = measures.body.group?.find(
    (g) => g.code?.coding?.[0]?.code === 'contact-2-business-days' && g.extension?.[0]?.valueCode === 'all',
  );
  expect(contact?.population?.map((p) => p.count)).toEqual([1, 1]);
  expect(contact?.extension?.[1]?.valueString).toBe('Facilitate transitions across settings');
});

it('a discharge with no follow-up booked raises an urgent task, which the booking closes', async () => {
  await put({ resourceType: 'Patient', id: 't-cy', name: [{ given: ['Cy'], family: 'Test' }] } as never);
  await put(stay('t-cy-stay', 't-cy', {}));
  // An appointment during the stay is not a follow-up.
  await http('POST', `${server.fhir}/Appointment`, {
    resourceType: 'Appointment',
    status: 'booked',
    start: '2026-11-23T10:00:00Z',
    end: '2026-11-23T10:30:00Z',
    participant: [{ actor: { reference: 'Patient/t-cy' }, status: 'accepted' }],
  });
  await put(stay('t-cy-stay', 't-cy', discharged('home')));
  const open = async () =>
    (
      await search<Task>(
        'Task?patient=t-cy&code=http://careloop.org/fhir/CodeSystem/task-type|book-follow-up&status=requested',
      )
    ).map((t) => [t.priority, t.description]);
  expect(await open()).toEqual([
    [
      'urgent',
      'Discharged 2026-11-25 with no follow-up appointment booked: book a visit within 14 days (by 2026-12-09)',
    ],
  ]);
  await http('POST', `${server.fhir}/Appointment`, {
    resourceType: 'Appointment',
    status: 'booked',
    start: '2026-12-03T15:00:00Z',
    end: '2026-12-03T15:30:00Z',
    participant: [{ actor: { reference: 'Patient/t-cy' }, status: 'accepted' }],
  });
  expect(await open()).toEqual([]);
  const done = await search<Task>(
    'Task?patient=t-cy&code=http://careloop.org/fhir/CodeSystem/task-type|book-follow-up',
  );
  expect(done[0]?.statusReason?.text).toMatch(/^Follow-up booked for 2026-12-03 \(Appointment\//);
});
