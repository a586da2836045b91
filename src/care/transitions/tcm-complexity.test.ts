import type { EpisodeOfCare } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { dischargedEpisode, newEpisode, readEpisode } from './episode-resources.js';
import { scoreLace } from './lace-index.js';
import { tcmClock } from './tcm-clock.js';
import { recordComplexity, suggestComplexity } from './tcm-complexity.js';
import { retimeVisitTasks, tcmTasks } from './tcm-tasks.js';

const lace = scoreLace({ lengthOfStayDays: 5, emergent: true, conditions: [], edVisitsPrior6Months: 4 });
const admitted = newEpisode({ patient: 'p', encounter: 'Encounter/e', start: '2026-11-20T10:00:00Z' });
const discharged = (band: string): EpisodeOfCare =>
  dischargedEpisode(admitted, {
    date: '2026-11-25',
    disposition: 'home',
    lace: { ...lace, band: band as never },
    tcm: tcmClock('2026-11-25', suggestComplexity(band)),
  });
const by = (role: string) => ({ reference: 'Practitioner/x', display: `Someone (${role})` });

describe('LACE only suggests the complexity', () => {
  it.each([
    ['high', 'high'],
    ['moderate', 'moderate'],
    ['low', 'moderate'],
  ])('a %s LACE band suggests %s', (band, suggested) => {
    const facts = readEpisode(discharged(band));
    expect(facts.tcm?.suggestedComplexity).toBe(suggested);
    expect(facts.tcm?.complexity).toBeUndefined();
  });
});

describe('who records the TCM complexity', () => {
  it.each([
    // role, complexity, on behalf of, outcome status (200 = recorded)
    ['physician', 'high', undefined, 200],
    ['physician', 'moderate', undefined, 200],
    ['coordinator', 'high', 'Practitioner/pcp', 200],
    ['coordinator', 'high', undefined, 422], // must name the physician
    ['coordinator', 'high', 'RelatedPerson/daughter', 422],
    ['system', 'moderate', undefined, 200],
    ['pharmacist', 'high', 'Practitioner/pcp', 403],
    ['partner', 'high', undefined, 403],
    ['patient', 'high', undefined, 403],
    ['caregiver', 'moderate', undefined, 403],
    ['physician', 'low', undefined, 422],
    ['physician', undefined, undefined, 422],
  ])('%s records %s (for %s): %i', (role, complexity, onBehalf, status) => {
    const outcome = recordComplexity(discharged('low'), {
      complexity,
      role,
      recordedBy: by(role),
      ...(onBehalf ? { onBehalfOf: { reference: onBehalf, display: 'Dr PCP' } } : {}),
      at: '2026-11-26T15:00:00Z',
    });
    expect(outcome.ok ? 200 : outcome.status).toBe(status);
  });

  it('a high complexity on a low LACE moves the visit to 7 days, attributed, on whose behalf', () => {
    const outcome = recordComplexity(discharged('low'), {
      complexity: 'high',
      role: 'coordinator',
      recordedBy: { reference: 'Practitioner/coord', display: 'Maria Lopez, RN (coordinator)' },
      onBehalfOf: { reference: 'Practitioner/pcp', display: 'Samuel Okafor, MD' },
      at: '2026-11-26T15:00:00Z',
    });
    if (!outcome.ok) throw new Error(outcome.issues.join());
    const tcm = readEpisode(outcome.episode).tcm;
    expect(tcm).toMatchObject({
      complexity: 'high',
      suggestedComplexity: 'moderate',
      faceToFaceDue: '2026-12-02',
      complexityRecordedBy: { display: 'Maria Lopez, RN (coordinator)' },
      complexityOnBehalfOf: { reference: 'Practitioner/pcp' },
      complexityRecordedAt: '2026-11-26T15:00:00Z',
    });
    // The one visit task moves; there is never a second.
    const tasks = tcmTasks({
      clock: tcmClock('2026-11-25', 'moderate'),
      highRisk: false,
      patient: 'p',
      episode: 'EpisodeOfCare/e',
      owners: {},
      at: '2026-11-25T18:00:00Z',
    });
    const visitTasks = tasks.filter((t) => t.code?.coding?.[0]?.code === 'post-discharge-visit');
    expect(visitTasks).toHaveLength(1);
    expect(visitTasks[0]?.restriction?.period?.end).toBe('2026-12-09');
    const moved = retimeVisitTasks(tasks, outcome.clock);
    expect(moved.map((t) => [t.code?.coding?.[0]?.code, t.restriction?.period?.end])).toEqual([
      ['post-discharge-visit', '2026-12-02'],
      ['medication-reconciliation', '2026-12-02'],
    ]);
  });

  it('an episode still in hospital has no TCM complexity yet', () => {
    const outcome = recordComplexity(admitted, {
      complexity: 'high',
      role: 'physician',
      recordedBy: by('physician'),
      at: '2026-11-21T10:00:00Z',
    });
    expect(outcome.ok).toBe(false);
  });
});
