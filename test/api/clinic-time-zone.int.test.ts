// Careloop works in the clinic's time zone (CARELOOP_TIMEZONE): an evening discharge in New York is
// dated the day it happened, its TCM clock counts business days from there, and "today" on the
// worklist is the clinic's today. The server's clock is pinned, so nothing here sleeps or depends on
// when the suite runs.
import type { Bundle, EpisodeOfCare, Parameters, Task } from '@medplum/fhirtypes';
import { afterEach, expect, it } from 'vitest';
import { createClinicClock } from '../../src/care/calendar/clinic-clock.js';
import { http, startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A clock the test moves by hand. */
function movableClock(iso: string, zone: string) {
  let now = Date.parse(iso);
  return {
    clock: createClinicClock(zone, () => now),
    set: (next: string) => {
      now = Date.parse(next);
    },
  };
}

const put = async (s: TestServer, resource: { resourceType: string; id: string }) => {
  const res = await http('PUT', `${s.fhir}/${resource.resourceType}/${resource.id}`, resource);
  expect(res.status, res.text).toBeLessThan(300);
};

it.each([
  // zone, discharge instant, the discharge day, contact due (2 business days), face-to-face due (14 days)
  ['America/New_York', '2026-12-03T01:00:00Z', '2026-12-02', '2026-12-04', '2026-12-16'], // Wed 20:00 EST
  ['UTC', '2026-12-03T01:00:00Z', '2026-12-03', '2026-12-07', '2026-12-17'], // Thursday in UTC
  ['America/Los_Angeles', '2026-11-27T06:30:00Z', '2026-11-26', '2026-11-30', '2026-12-10'], // Thanksgiving 22:30
])('in %s a discharge at %s is dated %s', async (zone, end, day, contactDue, visitDue) => {
  server = await startTestServer({ clock: movableClock('2026-12-03T02:00:00Z', zone).clock });
  const s = server;
  await put(s, { resourceType: 'Patient', id: 'tz-pat', name: [{ family: 'Zone' }] } as never);
  const encounter = {
    resourceType: 'Encounter',
    id: 'tz-stay',
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
    subject: { reference: 'Patient/tz-pat' },
    period: { start: '2026-11-20T15:00:00Z' },
  };
  await put(s, encounter);
  await put(s, {
    ...encounter,
    status: 'finished',
    period: { start: '2026-11-20T15:00:00Z', end },
    hospitalization: {
      dischargeDisposition: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'home' }],
      },
    },
  } as never);
  const episode = (await http<Bundle>('GET', `${s.fhir}/EpisodeOfCare?patient=tz-pat`)).body.entry?.[0]
    ?.resource as EpisodeOfCare;
  const status = await http<Parameters>('GET', `${s.fhir}/EpisodeOfCare/${episode.id}/$tcm-status`);
  const value = (name: string) => status.body.parameter?.find((p) => p.name === name)?.valueDate;
  expect(value('dischargeDate') ?? episode.period?.end).toBe(day);
  expect(value('contactDue')).toBe(contactDue);
  expect(value('faceToFaceDue')).toBe(visitDue);
});

it("the worklist's today is the clinic's today", async () => {
  // 20:30 in New York on 2 December is already 3 December in UTC.
  const time = movableClock('2026-12-03T01:30:00Z', 'America/New_York');
  // The server's clock also dates its tokens: a day-long token outlives the hours the test moves.
  server = await startTestServer({ clock: time.clock, authSettings: { cliTokenSeconds: 86_400 } });
  const s = server;
  await put(s, {
    resourceType: 'Task',
    id: 'tz-task',
    status: 'requested',
    intent: 'order',
    description: 'Due on 2 December',
    owner: { reference: 'Practitioner/tz-owner' },
    restriction: { period: { end: '2026-12-02' } },
  } as Task & { id: string });
  const overdue = async () =>
    (await http<Bundle>('GET', `${s.fhir}/Task/$worklist?owner=Practitioner/tz-owner&overdue=true`)).body.total;
  expect(await overdue()).toBe(0);
  // Past midnight in New York: now it is overdue.
  time.set('2026-12-03T05:01:00Z');
  expect(await overdue()).toBe(1);
});

it('the worklist narrows by patient, code and priority, includes the patients, and refuses what it does not know', async () => {
  server = await startTestServer();
  const s = server;
  await put(s, { resourceType: 'Patient', id: 'wl-pat', name: [{ family: 'Worklist' }] } as never);
  const task = (id: string, code: string, priority: Task['priority'], status: Task['status'] = 'requested') =>
    put(s, {
      resourceType: 'Task',
      id,
      status,
      intent: 'order',
      priority,
      code: { coding: [{ system: 'http://careloop.org/fhir/CodeSystem/task-type', code }] },
      for: { reference: 'Patient/wl-pat' },
      restriction: { period: { end: '2026-12-10' } },
    } as Task & { id: string });
  await task('wl-1', 'book-follow-up', 'urgent');
  await task('wl-2', 'outreach-call', 'routine');
  await task('wl-3', 'book-follow-up', 'urgent', 'completed');
  await task('wl-4', 'outreach-call', 'stat', 'draft'); // not yet actionable: not on a worklist
  const get = (q: string) => http<Bundle>('GET', `${s.fhir}/Task/$worklist?${q}`);
  const ids = (b: Bundle) => (b.entry ?? []).filter((e) => e.search?.mode === 'match').map((e) => e.resource?.id);
  expect(ids((await get('panel=true&patient=Patient/wl-pat')).body)).toEqual(['wl-1', 'wl-2']);
  expect(ids((await get('panel=true&code=http://careloop.org/fhir/CodeSystem/task-type|book-follow-up')).body)).toEqual(
    ['wl-1'],
  );
  expect(ids((await get('panel=true&priority=stat,asap,urgent')).body)).toEqual(['wl-1']);
  const withPatients = (await get('panel=true&patient=Patient/wl-pat&_include=Task:patient')).body;
  expect(withPatients.entry?.find((e) => e.search?.mode === 'include')?.resource?.id).toBe('wl-pat');
  expect((await get('panel=true&_count=1')).status).toBe(400);
  expect((await get('panel=true&_include=Task:owner')).status).toBe(400);
});
