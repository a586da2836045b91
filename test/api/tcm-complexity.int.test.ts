// TCM complexity is the physician's medical decision making: recorded through the API by the
// physician, or by the coordinator on the physician's behalf, never by anyone else; LACE only
// suggests it; the CPT code and the one visit task follow what was recorded.
import type { Bundle, EpisodeOfCare, Parameters, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HAROLD, startDemoServer, tokenOf } from '../security/demo-server.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

let server: TestServer;
let episodeId: string;
const as: Record<string, Record<string, string>> = {};
beforeAll(async () => {
  server = await startDemoServer();
  for (const user of ['coordinator', 'pcp', 'pharmacist', 'patient']) as[user] = bearer(await tokenOf(server, user));
  const episodes = await http<Bundle>('GET', `${server.fhir}/EpisodeOfCare?patient=${HAROLD}&status=active`);
  episodeId = (episodes.body.entry?.[0]?.resource as EpisodeOfCare | undefined)?.id as string;
});
afterAll(async () => {
  await server?.close();
});

const record = (who: string, complexity: string, onBehalfOf?: string) =>
  http<EpisodeOfCare>(
    'POST',
    `${server.fhir}/EpisodeOfCare/${episodeId}/$record-tcm-complexity`,
    {
      resourceType: 'Parameters',
      parameter: [
        { name: 'complexity', valueCode: complexity },
        ...(onBehalfOf ? [{ name: 'onBehalfOf', valueReference: { reference: onBehalfOf } }] : []),
      ],
    },
    as[who],
  );
const status = async () =>
  (await http<Parameters>('GET', `${server.fhir}/EpisodeOfCare/${episodeId}/$tcm-status`, undefined, as.coordinator))
    .body;
const value = (p: Parameters, name: string) => p.parameter?.find((x) => x.name === name);
const visitTasks = async () =>
  (
    await http<Bundle>(
      'GET',
      `${server.fhir}/Task?focus=EpisodeOfCare/${episodeId}&code=http://careloop.org/fhir/CodeSystem/task-type|post-discharge-visit`,
    )
  ).body.entry?.map((e) => e.resource as Task) ?? [];

it('until the physician records it, the page says so and no code is claimed', async () => {
  const before = await status();
  expect(value(before, 'complexity')).toBeUndefined();
  expect(value(before, 'suggestedComplexity')?.valueCode).toMatch(/^(high|moderate)$/);
  expect(value(before, 'code')?.valueCode).toBe('none');
  expect(before.parameter?.some((p) => p.valueString?.startsWith('TCM complexity not recorded'))).toBe(true);
  expect(value(before, 'physician')?.valueReference?.reference).toBe('Practitioner/demo-pcp');
});

it('the pharmacist and the patient may not record it; the coordinator must name the physician', async () => {
  expect((await record('pharmacist', 'high')).status).toBe(403);
  expect((await record('patient', 'high')).status).toBe(403);
  const unnamed = await record('coordinator', 'high');
  expect(unnamed.status).toBe(422);
  expect(unnamed.text).toContain('onBehalfOf');
  expect((await record('pcp', 'severe')).status).toBe(422);
  expect(value(await status(), 'complexity')).toBeUndefined();
});

it('the coordinator records it for the physician, the physician changes it; the one visit task follows', async () => {
  const byCoordinator = await record('coordinator', 'moderate', 'Practitioner/demo-pcp');
  expect(byCoordinator.status, byCoordinator.text).toBe(200);
  let now = await status();
  expect(value(now, 'complexity')?.valueCode).toBe('moderate');
  expect(value(now, 'complexityRecordedBy')?.valueString).toMatch(/\(coordinator\)$/);
  expect(value(now, 'complexityOnBehalfOf')?.valueString).toMatch(/Okafor|MD|Dr/);
  const discharge = value(now, 'dischargeDate')?.valueDate as string;
  const plus = (days: number) =>
    new Date(Date.parse(`${discharge}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  expect(value(now, 'faceToFaceDue')?.valueDate).toBe(plus(14));
  let tasks = await visitTasks();
  expect(tasks).toHaveLength(1);
  expect(tasks[0]?.restriction?.period?.end).toBe(plus(14));

  const byPhysician = await record('pcp', 'high');
  expect(byPhysician.status, byPhysician.text).toBe(200);
  now = await status();
  expect(value(now, 'complexity')?.valueCode).toBe('high');
  expect(value(now, 'complexityRecordedBy')?.valueString).toMatch(/\(physician\)$/);
  expect(value(now, 'complexityOnBehalfOf')).toBeUndefined();
  expect(value(now, 'faceToFaceDue')?.valueDate).toBe(plus(7));
  tasks = await visitTasks();
  expect(tasks).toHaveLength(1);
  expect(tasks[0]?.restriction?.period?.end).toBe(plus(7));
  expect(tasks[0]?.description).toContain('within 7 days');
});
