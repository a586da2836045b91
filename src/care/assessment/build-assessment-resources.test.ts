import { describe, expect, it } from 'vitest';
import { concernDefinitions } from './assessment-content.js';
import {
  type BuildContext,
  buildConcerns,
  buildObservations,
  buildSafetyFollowUp,
} from './build-assessment-resources.js';
import { scoreHrsn } from './score-hrsn.js';
import { scorePhq9 } from './score-phq.js';
import { answers } from './test-answers.js';

const ctx: BuildContext = {
  response: { resourceType: 'QuestionnaireResponse', id: 'qr1', status: 'completed', authored: '2026-11-25T09:00:00Z' },
  patient: { reference: 'Patient/p1' },
  now: '2026-11-25T09:00:05.000Z',
  today: '2026-11-25',
};

const PHQ9_POSITIVE_ITEM9 = answers({
  '44250-9': 'LA6571-9',
  '44255-8': 'LA6571-9',
  '44259-0': 'LA6571-9',
  '44254-1': 'LA6569-3',
  '44251-7': 'LA6568-5',
  '44258-2': 'LA6568-5',
  '44252-5': 'LA6568-5',
  '44253-3': 'LA6568-5',
  '44260-8': 'LA6569-3',
});

const withIds = <T>(list: T[]) => list.map((o, i) => ({ ...o, id: `obs${i + 1}` }));

describe('assessment resources', () => {
  it('writes the total with its band and each finding, all derived from the response', () => {
    const built = buildObservations(scorePhq9(PHQ9_POSITIVE_ITEM9), ctx);
    expect(built.map((b) => [b.key, b.positive])).toEqual([
      ['total', true],
      ['self-harm-thoughts', true],
    ]);
    expect(built[0]?.resource).toMatchObject({
      code: { coding: [{ code: '44261-6' }] },
      valueInteger: 11,
      interpretation: [{ coding: [{ code: 'moderate' }] }, { coding: [{ code: 'POS' }] }],
      derivedFrom: [{ reference: 'QuestionnaireResponse/qr1' }],
      subject: { reference: 'Patient/p1' },
    });
  });

  it('raises each concern once, with its evidence, and not again while one is active', () => {
    const built = withIds(buildObservations(scorePhq9(PHQ9_POSITIVE_ITEM9), ctx));
    const fresh = buildConcerns(built, concernDefinitions(), new Set(), ctx);
    expect(fresh.map((c) => c.code?.coding?.[0]?.code)).toEqual(['depression-symptoms', 'self-harm-risk']);
    expect(fresh[0]?.evidence).toEqual([{ detail: [{ reference: 'Observation/obs1' }] }]);
    expect(fresh[0]?.category?.[0]?.coding?.[0]?.code).toBe('health-concern');
    const again = buildConcerns(built, concernDefinitions(), new Set(['depression-symptoms']), ctx);
    expect(again.map((c) => c.code?.coding?.[0]?.code)).toEqual(['self-harm-risk']);
  });

  it('gives social concerns their SDOH category and ICD-10-CM code where one exists', () => {
    const hrsn = scoreHrsn(
      answers({
        '71802-3': 'LA31993-1',
        '96778-6': ['LA9-3'],
        '88122-7': 'LA6729-3',
        '88123-5': 'LA28398-8',
        '93030-5': 'LA32-8',
        '96779-4': 'LA32-8',
        '95618-5': 'LA6270-8',
        '95617-7': 'LA6270-8',
        '95616-9': 'LA6270-8',
        '95615-1': 'LA6270-8',
      }),
    );
    const [food] = buildConcerns(withIds(buildObservations(hrsn, ctx)), concernDefinitions(), new Set(), ctx);
    expect(food?.code?.coding?.map((c) => c.code)).toEqual(['food-insecurity', 'Z59.41']);
    expect(food?.category?.[1]?.coding?.[0]?.code).toBe('food-insecurity');
  });

  it('a safety finding: a stat task for the coordinator, due today, and a flag', () => {
    const [, selfHarm] = withIds(buildObservations(scorePhq9(PHQ9_POSITIVE_ITEM9), ctx));
    if (!selfHarm) throw new Error('no finding');
    const { task, flag } = buildSafetyFollowUp(selfHarm, { reference: 'Practitioner/c1' }, ctx);
    expect(task).toMatchObject({
      priority: 'stat',
      status: 'requested',
      owner: { reference: 'Practitioner/c1' },
      for: { reference: 'Patient/p1' },
      restriction: { period: { end: '2026-11-25' } },
      code: { coding: [{ code: 'safety-assessment' }] },
    });
    expect(flag).toMatchObject({ status: 'active', subject: { reference: 'Patient/p1' } });
  });
});
