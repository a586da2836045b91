import { describe, expect, it } from 'vitest';
import { applyExclusive, exclusiveCodes, OPTION_EXCLUSIVE } from './exclusive-answers.js';

const none = new Set(['LA9-3']);

describe('applyExclusive', () => {
  it.each([
    ['choosing "none" clears the problems', ['mold', 'pests'], ['mold', 'pests', 'LA9-3'], ['LA9-3']],
    ['choosing a problem clears "none"', ['LA9-3'], ['LA9-3', 'mold'], ['mold']],
    ['problems add up', ['mold'], ['mold', 'pests'], ['mold', 'pests']],
    ['unchecking keeps the rest', ['mold', 'pests'], ['pests'], ['pests']],
    ['"none" alone', [], ['LA9-3'], ['LA9-3']],
  ])('%s', (_label, before, after, expected) => {
    expect(applyExclusive(before, after, none)).toEqual(expected);
  });

  it('reads the exclusive options of an item', () => {
    expect(
      exclusiveCodes({
        linkId: 'x',
        type: 'choice',
        answerOption: [
          { valueCoding: { code: 'mold' } },
          { valueCoding: { code: 'LA9-3' }, extension: [{ url: OPTION_EXCLUSIVE, valueBoolean: true }] },
        ],
      }),
    ).toEqual(new Set(['LA9-3']));
  });
});
