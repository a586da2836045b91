// The transitions measures count every episode, however many (no page of 1,000 that silently drops
// the rest), reading records in sets rather than one search per episode.
import type { BundleEntry, MeasureReport } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dischargedEpisode, newEpisode } from '../../src/care/transitions/episode-resources.js';
import { scoreLace } from '../../src/care/transitions/lace-index.js';
import { tcmClock } from '../../src/care/transitions/tcm-clock.js';
import { http, startTestServer, type TestServer } from '../support/test-server.js';

const EPISODES = 1_100;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  const lace = scoreLace({ lengthOfStayDays: 3, emergent: false, conditions: [], edVisitsPrior6Months: 0 });
  const entries: BundleEntry[] = [];
  for (let i = 0; i < EPISODES; i++) {
    const patient = `scale-${i}`;
    const episode = {
      ...dischargedEpisode(newEpisode({ patient, encounter: `Encounter/stay-${i}`, start: '2026-11-20T10:00:00Z' }), {
        date: '2026-11-25',
        disposition: 'home',
        lace,
        tcm: tcmClock('2026-11-25', 'moderate'),
      }),
      id: `scale-episode-${i}`,
    };
    entries.push({ resource: episode, request: { method: 'PUT', url: `EpisodeOfCare/${episode.id}` } });
    // Every third patient was reached by phone the day after discharge.
    if (i % 3 === 0)
      entries.push({
        resource: {
          resourceType: 'Communication',
          status: 'completed',
          subject: { reference: `Patient/${patient}` },
          about: [{ reference: `EpisodeOfCare/${episode.id}` }],
          medium: [
            { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'PHONE' }] },
          ],
          sent: '2026-11-26T15:00:00Z',
        },
        request: { method: 'POST', url: 'Communication' },
      });
  }
  await server.repository.processBundle({ resourceType: 'Bundle', type: 'transaction', entry: entries }, '');
}, 120_000);
afterAll(async () => {
  await server?.close();
});

it('counts every one of more than 1,000 episodes', async () => {
  const res = await http<MeasureReport>('GET', `${server.fhir}/EpisodeOfCare/$transition-measures`);
  expect(res.status, res.text).toBe(200);
  const contact = res.body.group?.find(
    (g) => g.code?.coding?.[0]?.code === 'contact-2-business-days' && g.extension?.[0]?.valueCode === 'all',
  );
  const count = (code: string) => contact?.population?.find((p) => p.code?.coding?.[0]?.code === code)?.count;
  expect(count('denominator')).toBe(EPISODES);
  expect(count('numerator')).toBe(Math.ceil(EPISODES / 3));
}, 120_000);
