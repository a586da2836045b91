// The transition hook alone, on a real database: an admission opens one episode (however often the
// feed repeats it) with a discharge-planning task; a discharge home moves it to post-discharge with
// LACE and the TCM tasks, and asks for the follow-up to be booked unless one already is; a
// discharge to a facility starts no TCM.
import type { Appointment, Encounter, EpisodeOfCare, Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { careTeamOf, type HookBench, hookBench } from '../../../test/support/hook-test-repository.js';
import { TASK_TYPE_SYSTEM } from '../worklist/follow-up-task.js';
import { readEpisode } from './episode-resources.js';
import { transitionHook } from './transition-hook.js';

const bench = hookBench((clock) => ({ Encounter: [transitionHook(clock)] }), '2026-12-03T15:00:00Z');

const stay = (extra: Partial<Encounter> = {}): Encounter => ({
  resourceType: 'Encounter',
  status: 'in-progress',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
  subject: { reference: 'Patient/p' },
  period: { start: '2026-11-28T10:00:00Z' },
  ...extra,
});
const discharge = (admitted: Encounter & { id: string }, disposition: string): Encounter & { id: string } => ({
  ...admitted,
  status: 'finished',
  period: { start: '2026-11-28T10:00:00Z', end: '2026-12-02T16:00:00Z' },
  hospitalization: { dischargeDisposition: { coding: [{ code: disposition }] } },
});
const episodes = (b: HookBench) => b.search<EpisodeOfCare>('EpisodeOfCare', [['patient', 'p']]);
const taskCodes = async (b: HookBench) =>
  (await b.search<Task>('Task', [['patient', 'p']]))
    .map((t) => t.code?.coding?.find((c) => c.system === TASK_TYPE_SYSTEM)?.code)
    .sort();

it('an admission opens one episode with a discharge-planning task, however often it is sent', async () => {
  const b = await bench.open();
  await b.create(careTeamOf('p'));
  const admitted = await b.create(stay());
  await b.update({ ...admitted, location: [{ location: { display: 'Ward 4' } }] });
  const [episode, ...more] = await episodes(b);
  expect(more).toEqual([]);
  expect(readEpisode(episode as EpisodeOfCare).phase).toBe('admitted');
  expect(await taskCodes(b)).toEqual(['discharge-planning']);
});

it('a discharge home: post-discharge with LACE, the TCM tasks, and a task to book the follow-up', async () => {
  const b = await bench.open();
  await b.create(careTeamOf('p'));
  await b.update(discharge(await b.create(stay()), 'home'));
  const facts = readEpisode((await episodes(b))[0] as EpisodeOfCare);
  expect(facts).toMatchObject({ phase: 'post-discharge', dischargeDate: '2026-12-02' });
  expect(facts.lace?.band).toBeDefined();
  expect(facts.tcm?.eligible).toBe(true);
  expect(await taskCodes(b)).toEqual(
    expect.arrayContaining([
      'book-follow-up',
      'discharge-planning',
      'medication-reconciliation',
      'post-discharge-contact',
      'post-discharge-visit',
    ]),
  );
});

it('a follow-up already booked after the discharge: no task to book one', async () => {
  const b = await bench.open();
  await b.create<Appointment>({
    resourceType: 'Appointment',
    status: 'booked',
    start: '2026-12-08T15:00:00Z',
    end: '2026-12-08T15:30:00Z',
    participant: [{ actor: { reference: 'Patient/p' }, status: 'accepted' }],
  });
  await b.update(discharge(await b.create(stay()), 'home'));
  expect(await taskCodes(b)).not.toContain('book-follow-up');
});

it('a discharge to a skilled nursing facility starts no TCM, and says why', async () => {
  const b = await bench.open();
  await b.update(discharge(await b.create(stay()), 'snf'));
  const facts = readEpisode((await episodes(b))[0] as EpisodeOfCare);
  expect(facts.tcm?.eligible).not.toBe(true);
  expect(JSON.stringify(facts)).toMatch(/not to the community/);
  expect(await taskCodes(b)).not.toContain('post-discharge-visit');
});
