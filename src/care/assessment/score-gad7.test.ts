import { describe, expect, it } from 'vitest';
import { GAD7_ITEMS, scoreGad7 } from './score-gad7.js';
import { answers } from './test-answers.js';

const CODE_OF_SCORE = ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'] as const;

function gad7(total: number) {
  let left = total;
  return answers(
    Object.fromEntries(
      GAD7_ITEMS.map((item) => {
        const score = Math.min(3, left);
        left -= score;
        return [item, CODE_OF_SCORE[score] as string];
      }),
    ),
  );
}

describe('GAD-7 (Spitzer et al. 2006)', () => {
  it.each([
    [0, 'minimal', false],
    [4, 'minimal', false],
    [5, 'mild', false],
    [9, 'mild', false],
    [10, 'moderate', true],
    [14, 'moderate', true],
    [15, 'severe', true],
    [21, 'severe', true],
  ])('total %i is %s (positive: %s)', (total, band, positive) => {
    const result = scoreGad7(gad7(total));
    expect(result.total).toMatchObject({ value: total, positive, band: { code: band } });
  });
});
