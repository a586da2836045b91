// The operations' answers the web app decodes, recorded from the demo clinic on a pinned clock into
// test/golden/*.json. Each run compares the server's answer with the recorded one (ids the server
// makes up are replaced by stable names), so a change of an answer's shape fails here; the web
// app's decoders are tested against the same files (web/src/api/golden-responses.test.ts), so the
// change fails there too until the decoder follows. `CARELOOP_UPDATE_GOLDEN=1 npx vitest run
// test/api/golden-responses.int.test.ts` records them again after a deliberate change.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, CarePlan, EpisodeOfCare, Goal, Parameters } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClinicClock } from '../../src/care/calendar/clinic-clock.js';
import { HAROLD, startDemoServer, tokenOf } from '../security/demo-server.js';
import { decisionFor, decisionParameters } from '../support/medrec-decisions.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

const GOLDEN = join(import.meta.dirname, '..', 'golden');
const UPDATE = process.env.CARELOOP_UPDATE_GOLDEN === '1';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** The answer with each server-made id named by its first appearance: id-1, id-2, ... */
function stable(body: unknown): unknown {
  const names = new Map<string, string>();
  const text = JSON.stringify(body).replace(UUID, (id) => {
    if (!names.has(id)) names.set(id, `id-${names.size + 1}`);
    return names.get(id) as string;
  });
  return JSON.parse(text);
}

function matchGolden(name: string, body: unknown): void {
  const file = join(GOLDEN, `${name}.json`);
  const now = stable(body);
  if (UPDATE) writeFileSync(file, `${JSON.stringify(now, null, 2)}\n`);
  if (!existsSync(file)) throw new Error(`${file} is missing: record it with CARELOOP_UPDATE_GOLDEN=1`);
  expect(now, `${name}: the answer changed; if on purpose, record it again (CARELOOP_UPDATE_GOLDEN=1)`).toEqual(
    JSON.parse(readFileSync(file, 'utf8')),
  );
}

let server: TestServer;
const as: Record<string, Record<string, string>> = {};
let episode: string;
beforeAll(async () => {
  server = await startDemoServer({
    clock: fixedClinicClock('2026-12-03T15:00:00Z', 'America/Chicago'),
    authSettings: { cliTokenSeconds: 86_400 },
  });
  for (const user of ['coordinator', 'pharmacist', 'patient']) as[user] = bearer(await tokenOf(server, user));
  const episodes = await http<Bundle>('GET', `${server.fhir}/EpisodeOfCare?patient=${HAROLD}&status=active`);
  episode = (episodes.body.entry?.[0]?.resource as EpisodeOfCare | undefined)?.id as string;
});
afterAll(async () => {
  await server?.close();
});

const get = async <T>(path: string, who = 'coordinator'): Promise<T> => {
  const res = await http<T>('GET', `${server.fhir}/${path}`, undefined, as[who]);
  expect(res.status, res.text).toBe(200);
  return res.body;
};

it('EpisodeOfCare/$tcm-status, $readiness and $after-hospital-plan', async () => {
  matchGolden('tcm-status', await get<Parameters>(`EpisodeOfCare/${episode}/$tcm-status`));
  matchGolden('readiness', await get<Parameters>(`EpisodeOfCare/${episode}/$readiness`));
  matchGolden('after-hospital-plan', await get<Parameters>(`EpisodeOfCare/${episode}/$after-hospital-plan`, 'patient'));
});

it('the reconciliation with a decision, and the medication schedule', async () => {
  const started = await http<Parameters>(
    'POST',
    `${server.fhir}/Patient/${HAROLD}/$reconcile-medications`,
    undefined,
    as.pharmacist,
  );
  expect(started.status, started.text).toBe(201);
  const list = started.body.parameter?.find((p) => p.name === 'reconciliation')?.valueReference?.reference;
  const decide = async (item: string, action: string, reason: string, until?: string) => {
    const res = await http<Parameters>(
      'POST',
      `${server.fhir}/${list}/$record-decision`,
      decisionParameters(item, action, reason, undefined, until),
      as.pharmacist,
    );
    expect(res.status, res.text).toBe(200);
  };
  // The pharmacist's decisions on the items that block completion, as in medrec.int.test.ts.
  const high = (started.body.parameter ?? [])
    .filter((p) => p.name === 'discrepancy' && p.part?.some((x) => x.name === 'severity' && x.valueCode === 'high'))
    .flatMap((d) => (d.part ?? []).filter((x) => x.name === 'item').map((x) => x.valueString as string));
  for (const item of new Set(high)) {
    const [action, reason, until] = decisionFor(item);
    await decide(item, action, reason, until);
  }
  matchGolden('reconciliation', await get<Parameters>(`${list}/$reconciliation`, 'pharmacist'));
  const done = await http<Parameters>(
    'POST',
    `${server.fhir}/${list}/$complete-reconciliation`,
    undefined,
    as.pharmacist,
  );
  expect(done.status, done.text).toBe(200);
  matchGolden('medication-schedule', await get<Parameters>(`Patient/${HAROLD}/$medication-schedule`, 'patient'));
});

it('Patient/$needs and CarePlan/$care-plan-history', async () => {
  matchGolden('needs', await get<Parameters>(`Patient/${HAROLD}/$needs`));
  const write = async <T>(method: string, path: string, body: unknown): Promise<T & { id: string }> => {
    const res = await http<T & { id: string }>(method, `${server.fhir}/${path}`, body, as.coordinator);
    expect(res.status, res.text).toBeLessThan(300);
    return res.body;
  };
  const goal = await write<Goal>('POST', 'Goal', {
    resourceType: 'Goal',
    lifecycleStatus: 'active',
    description: { text: 'Walk to the mailbox every day' },
    subject: { reference: `Patient/${HAROLD}` },
  });
  const plan = await write<CarePlan>('POST', 'CarePlan', {
    resourceType: 'CarePlan',
    status: 'active',
    intent: 'plan',
    subject: { reference: `Patient/${HAROLD}` },
    goal: [{ reference: `Goal/${goal.id}` }],
  });
  await write('PUT', `Goal/${goal.id}`, {
    ...goal,
    achievementStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: 'improving' }],
    },
  });
  matchGolden('care-plan-history', await get<Parameters>(`CarePlan/${plan.id}/$care-plan-history`));
});
