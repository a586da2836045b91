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
  server = await startTestServer({ clock: time.clock });
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
