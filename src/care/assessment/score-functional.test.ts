import { describe, expect, it } from 'vitest';
import { shippedQuestionnaires } from './assessment-content.js';
import { KATZ_ACTIVITIES, lawtonLevelScores, scoreKatz, scoreLawton } from './score-functional.js';
import { answers } from './test-answers.js';

const katzQ = shippedQuestionnaires().find((q) => q.id === 'katz-adl');
const lawtonQ = shippedQuestionnaires().find((q) => q.id === 'lawton-iadl');
if (!katzQ || !lawtonQ) throw new Error('functional instruments not shipped');

function katz(dependent: readonly string[]) {
  return answers(
    Object.fromEntries(KATZ_ACTIVITIES.map((a) => [a, `${a}-${dependent.includes(a) ? 'dependent' : 'independent'}`])),
  );
}

describe('Katz Index of ADL', () => {
  it.each([
    [[], 6, 'full-function'],
    [['bathing'], 5, 'moderate-impairment'],
    [['bathing', 'dressing'], 4, 'moderate-impairment'],
    [['bathing', 'dressing', 'toileting'], 3, 'moderate-impairment'],
    [['bathing', 'dressing', 'toileting', 'transferring'], 2, 'severe-impairment'],
    [[...KATZ_ACTIVITIES], 0, 'severe-impairment'],
  ])('needing help with %j scores %i, %s', (dependent, total, band) => {
    const result = scoreKatz(katz(dependent), katzQ);
    expect(result.total).toMatchObject({ value: total, band: { code: band }, positive: total < 6 });
    expect(result.findings[0]?.components?.map((c) => c.code) ?? []).toEqual(dependent);
  });
});

describe('Lawton IADL Scale (Lawton & Brody 1969)', () => {
  // The published score of each level, in order (1 = the level counts as independent).
  const PUBLISHED: Record<string, number[]> = {
    telephone: [1, 1, 1, 0],
    shopping: [1, 0, 0, 0],
    'food-preparation': [1, 0, 0, 0],
    housekeeping: [1, 1, 1, 1, 0],
    laundry: [1, 1, 0],
    transportation: [1, 1, 1, 0, 0],
    medications: [1, 0, 0],
    finances: [1, 1, 0],
  };

  it('ships each level with its published score', () => {
    const scores = lawtonLevelScores(lawtonQ);
    for (const [activity, levels] of Object.entries(PUBLISHED))
      for (const [i, score] of levels.entries())
        expect(scores.get(`${activity}-${i + 1}`), `${activity} level ${i + 1}`).toBe(score);
    expect(scores.size).toBe(Object.values(PUBLISHED).flat().length);
  });

  it.each([
    [{}, 8, []],
    [{ shopping: 2 }, 7, ['shopping']],
    [{ housekeeping: 4 }, 8, []],
    [{ housekeeping: 5, laundry: 3, medications: 2 }, 5, ['housekeeping', 'laundry', 'medications']],
    [
      {
        telephone: 4,
        shopping: 4,
        'food-preparation': 4,
        housekeeping: 5,
        laundry: 3,
        transportation: 5,
        medications: 3,
        finances: 3,
      },
      0,
      Object.keys(PUBLISHED),
    ],
  ])('levels %j score %i, needing help with %j', (levels, total, needsHelp) => {
    const chosen = Object.fromEntries(
      Object.keys(PUBLISHED).map((a) => [a, `${a}-${(levels as Record<string, number>)[a] ?? 1}`]),
    );
    const result = scoreLawton(answers(chosen), lawtonQ);
    expect(result.total).toMatchObject({ value: total, positive: total < 8 });
    expect(result.findings[0]?.components?.map((c) => c.code) ?? []).toEqual(needsHelp);
  });
});
