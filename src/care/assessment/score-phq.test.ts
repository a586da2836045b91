import { describe, expect, it } from 'vitest';
import { shippedQuestionnaires } from './assessment-content.js';
import { FREQUENCY_SCORE, PHQ9_ITEMS, scorePhq2, scorePhq9 } from './score-phq.js';
import { answers } from './test-answers.js';

const CODE_OF_SCORE = ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'] as const;

/** A PHQ-9 whose items score as given (item 9 last). */
function phq9(scores: readonly number[]) {
  return answers(Object.fromEntries(PHQ9_ITEMS.map((item, i) => [item, CODE_OF_SCORE[scores[i] ?? 0] as string])));
}

/** Item scores adding up to `total` with item 9 at 0 (totals up to 24). */
function spread(total: number): number[] {
  const scores = Array(9).fill(0) as number[];
  let left = total;
  for (let i = 0; i < 8 && left > 0; i++) {
    scores[i] = Math.min(3, left);
    left -= scores[i] as number;
  }
  return scores;
}

describe('PHQ-9 (Kroenke, Spitzer & Williams 2001)', () => {
  it.each([
    [0, 'none-minimal', false],
    [4, 'none-minimal', false],
    [5, 'mild', false],
    [9, 'mild', false],
    [10, 'moderate', true],
    [14, 'moderate', true],
    [15, 'moderately-severe', true],
    [19, 'moderately-severe', true],
    [20, 'severe', true],
    [24, 'severe', true],
  ])('total %i is %s (positive: %s)', (total, band, positive) => {
    const result = scorePhq9(phq9(spread(total)));
    expect(result.total?.value).toBe(total);
    expect(result.total?.band?.code).toBe(band);
    expect(result.total?.positive).toBe(positive);
    expect(result.findings.find((f) => f.key === 'self-harm-thoughts')?.positive).toBe(false);
  });

  it('scores the maximum, 27, as severe', () => {
    const result = scorePhq9(phq9(Array(9).fill(3)));
    expect([result.total?.value, result.total?.band?.code]).toEqual([27, 'severe']);
  });

  it.each([1, 2, 3])('item 9 alone at %i is a safety finding whatever the total', (score) => {
    const result = scorePhq9(phq9([0, 0, 0, 0, 0, 0, 0, 0, score]));
    expect(result.total?.value).toBe(score);
    expect(result.total?.band?.code).toBe('none-minimal');
    const selfHarm = result.findings.find((f) => f.key === 'self-harm-thoughts');
    expect(selfHarm).toMatchObject({ positive: true, safety: true, concern: 'self-harm-risk' });
  });
});

describe('PHQ-2 (Kroenke, Spitzer & Williams 2003)', () => {
  it.each([
    [0, 0, 0, false],
    [1, 1, 2, false],
    [2, 1, 3, true],
    [3, 0, 3, true],
    [3, 3, 6, true],
  ])('items %i and %i: total %i, positive %s', (a, b, total, positive) => {
    const result = scorePhq2(answers({ '44250-9': CODE_OF_SCORE[a] as string, '44255-8': CODE_OF_SCORE[b] as string }));
    expect(result.total?.value).toBe(total);
    expect(result.total?.positive).toBe(positive);
    expect(result.total?.band?.code).toBe(positive ? 'POS' : 'NEG');
  });
});

it('the shipped PHQ and GAD Questionnaires carry the same answer scores as the scoring (ordinalValue)', () => {
  for (const q of shippedQuestionnaires().filter((x) => ['phq-9', 'phq-2', 'gad-7'].includes(x.id ?? ''))) {
    for (const item of q.item ?? []) {
      if (item.linkId === '69722-7' || item.linkId === '69726-8') continue; // difficulty: not scored
      for (const option of item.answerOption ?? []) {
        const ordinal = option.extension?.find((e) => e.url.endsWith('ordinalValue'))?.valueDecimal;
        expect(ordinal, `${q.id} ${item.linkId} ${option.valueCoding?.code}`).toBe(
          FREQUENCY_SCORE[option.valueCoding?.code ?? ''],
        );
      }
    }
  }
});
