// The TCM complexity is recorded once per episode version: twenty physicians' (and coordinators')
// requests racing through two server processes on one PostgreSQL database end in exactly one
// recorded decision per version they were made against, the rest 412 with nothing written, and
// still one visit task (never one per racer).
import type { Bundle, EpisodeOfCare, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HAROLD } from '../security/demo-server.js';
import { type SpawnedServer, spawnServer } from '../support/spawn-server.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let servers: [SpawnedServer, SpawnedServer];
let episodeId: string;

beforeAll(async () => {
  database = await createPostgresDatabase();
  // The first server seeds the demo clinic (relative to today); the second joins the same database.
  const first = await spawnServer({ CARELOOP_DB: database.url, CARELOOP_DEMO: '1' });
  const second = await spawnServer({ CARELOOP_DB: database.url });
  servers = [first, second];
  const episodes = (await (
    await first.fetch(`${first.url}/fhir/EpisodeOfCare?patient=${HAROLD}&status=active`)
  ).json()) as Bundle;
  episodeId = (episodes.entry?.[0]?.resource as EpisodeOfCare | undefined)?.id as string;
}, 90_000);
afterAll(async () => {
  await Promise.all((servers ?? []).map((s) => s.stop()));
  await database?.drop();
});

const episodeVersion = async (): Promise<number> => {
  const [server] = servers;
  return Number(
    ((await (await server.fetch(`${server.url}/fhir/EpisodeOfCare/${episodeId}`)).json()) as EpisodeOfCare).meta
      ?.versionId,
  );
};

const record = (i: number, complexity: string, ifMatch?: string) => {
  const server = servers[i % 2] as SpawnedServer;
  return server.fetch(`${server.url}/fhir/EpisodeOfCare/${episodeId}/$record-tcm-complexity`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
    body: JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'complexity', valueCode: complexity }] }),
  });
};

const visitTasks = async (): Promise<Task[]> => {
  const [server] = servers;
  const bundle = (await (
    await server.fetch(
      `${server.url}/fhir/Task?focus=EpisodeOfCare/${episodeId}&code=http://careloop.org/fhir/CodeSystem/task-type|post-discharge-visit`,
    )
  ).json()) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as Task);
};

it('twenty racers on one version: one 200, nineteen 412, one new version', async () => {
  const before = await episodeVersion();
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, i) => record(i, i % 2 ? 'high' : 'moderate', `W/"${before}"`)),
  );
  const statuses = responses.map((r) => r.status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(1);
  expect(statuses.filter((s) => s === 412)).toHaveLength(19);
  for (const r of responses.filter((x) => x.status === 412))
    expect(((await r.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  expect(await episodeVersion()).toBe(before + 1);
  expect(await visitTasks()).toHaveLength(1);
}, 60_000);

it('twenty racers without If-Match: each success made against its own version, the rest 412', async () => {
  const before = await episodeVersion();
  const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => record(i, i % 2 ? 'high' : 'moderate')));
  const statuses = responses.map((r) => r.status);
  const won = statuses.filter((s) => s === 200).length;
  expect(won).toBeGreaterThanOrEqual(1);
  expect(statuses.filter((s) => s !== 200).every((s) => s === 412)).toBe(true);
  // One new episode version per success: no decision was written over one it did not see.
  expect(await episodeVersion()).toBe(before + won);
  expect(await visitTasks()).toHaveLength(1);
}, 60_000);
