import { describe, expect, it } from 'vitest';
import { scoreHrsn } from './score-hrsn.js';
import { answers } from './test-answers.js';

const NEVER = 'LA6270-8';
const HITS_CODE = ['', NEVER, 'LA10066-1', 'LA10082-8', 'LA16644-9', 'LA6482-9'] as const;

/** Everyone's baseline: every need negative, HITS all "never" (total 4). */
const NONE: Record<string, string | readonly string[]> = {
  '71802-3': 'LA31993-1',
  '96778-6': ['LA9-3'],
  '88122-7': 'LA28398-8',
  '88123-5': 'LA28398-8',
  '93030-5': 'LA32-8',
  '96779-4': 'LA32-8',
  '95618-5': NEVER,
  '95617-7': NEVER,
  '95616-9': NEVER,
  '95615-1': NEVER,
};

const positives = (overrides: Record<string, string | readonly string[]>) => {
  const result = scoreHrsn(answers({ ...NONE, ...overrides }));
  const safety = result.findings.find((f) => f.key === 'interpersonal-safety');
  return {
    findings: result.findings.filter((f) => f.positive && f.key !== 'interpersonal-safety').map((f) => f.key),
    hits: safety?.value,
    hitsPositive: safety?.positive,
  };
};

describe('AHC HRSN core questions (CMS guide, 2022)', () => {
  it('finds nothing when every answer is the negative one', () => {
    expect(positives({})).toEqual({ findings: [], hits: 4, hitsPositive: false });
  });

  it.each([
    ['worried about losing housing', { '71802-3': 'LA31994-9' }, 'housing-instability'],
    ['no steady place to live', { '71802-3': 'LA31995-6' }, 'housing-instability'],
    ['one housing problem (mold)', { '96778-6': ['LA28580-1'] }, 'inadequate-housing'],
    ['several housing problems', { '96778-6': ['LA31996-4', 'LA32001-2'] }, 'inadequate-housing'],
    ['food ran out: often true', { '88122-7': 'LA28397-0' }, 'food-insecurity'],
    ['food ran out: sometimes true', { '88122-7': 'LA6729-3' }, 'food-insecurity'],
    ["food didn't last: sometimes true", { '88123-5': 'LA6729-3' }, 'food-insecurity'],
    ['transportation: yes', { '93030-5': 'LA33-6' }, 'transportation-insecurity'],
    ['utilities threatened', { '96779-4': 'LA33-6' }, 'utility-insecurity'],
    ['utilities already shut off', { '96779-4': 'LA32002-0' }, 'utility-insecurity'],
  ])('%s alone is positive for %s only', (_label, overrides, key) => {
    expect(positives(overrides).findings).toEqual([key]);
  });

  it.each([
    // [hurt, insult, threaten, scream] -> total
    [[1, 3, 3, 3], 10, false],
    [[1, 4, 3, 3], 11, true],
    [[1, 5, 5, 5], 16, true],
    [[5, 5, 5, 5], 20, true],
  ])('HITS items %j sum to %i, positive above 10: %s', (scores, total, positive) => {
    const r = positives({
      '95618-5': HITS_CODE[scores[0] as number] as string,
      '95617-7': HITS_CODE[scores[1] as number] as string,
      '95616-9': HITS_CODE[scores[2] as number] as string,
      '95615-1': HITS_CODE[scores[3] as number] as string,
    });
    expect([r.hits, r.hitsPositive]).toEqual([total, positive]);
  });

  it.each([2, 3, 4, 5])(
    'being physically hurt (answer %i) is reported on its own, even with a HITS total of 10 or less',
    (score) => {
      const r = positives({ '95618-5': HITS_CODE[score] as string });
      expect(r.hitsPositive).toBe(false);
      expect(r.findings).toEqual(['physical-harm-reported']);
    },
  );

  it('food: the Hunger Vital Sign result is "at risk" or "no risk"', () => {
    const at = scoreHrsn(answers({ ...NONE, '88123-5': 'LA28397-0' })).findings.find(
      (f) => f.key === 'food-insecurity',
    );
    const no = scoreHrsn(answers(NONE)).findings.find((f) => f.key === 'food-insecurity');
    expect(at?.value).toEqual({ coding: [expect.objectContaining({ code: 'LA19952-3' })] });
    expect(no?.value).toEqual({ coding: [expect.objectContaining({ code: 'LA19983-8' })] });
  });

  it.each([
    ['nothing found', {}, 0, 'Negative: no need found'],
    [
      'food and housing problems, HITS low',
      { '88122-7': 'LA28397-0', '96778-6': ['LA28580-1'] },
      2,
      'Positive: housing problems, food insecurity',
    ],
    [
      'only the safety part (HITS 11)',
      { '95617-7': 'LA16644-9', '95616-9': 'LA10082-8', '95615-1': 'LA10082-8' },
      1,
      'Positive: interpersonal safety',
    ],
    ['physically hurt, HITS under the cut-off', { '95618-5': 'LA10066-1' }, 1, 'Positive: interpersonal safety'],
  ])('the screen’s own result: %s', (_label, overrides, needs, summary) => {
    const total = scoreHrsn(answers({ ...NONE, ...overrides })).total;
    expect(total?.value).toBe(needs);
    expect(total?.positive).toBe(needs > 0);
    expect(total?.band?.display).toBe(summary);
  });
});
