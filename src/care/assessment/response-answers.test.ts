import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { shippedQuestionnaires } from './assessment-content.js';
import { answersOf, checkResponse } from './response-answers.js';

const phq2 = shippedQuestionnaires().find((q) => q.id === 'phq-2');
if (!phq2) throw new Error('phq-2 not shipped');
const L = 'http://loinc.org';

const response = (items: QuestionnaireResponse['item']): QuestionnaireResponse => ({
  resourceType: 'QuestionnaireResponse',
  status: 'completed',
  item: items,
});
const item = (linkId: string, ...codes: string[]) => ({
  linkId,
  answer: codes.map((code) => ({ valueCoding: { system: L, code } })),
});

describe('checkResponse', () => {
  it('accepts a complete response', () => {
    expect(
      checkResponse(phq2, answersOf(response([item('44250-9', 'LA6568-5'), item('44255-8', 'LA6571-9')]))),
    ).toEqual([]);
  });

  it.each([
    ['a required item unanswered', [item('44250-9', 'LA6568-5')], 'required', "linkId='44255-8'"],
    [
      'an answer not in the item’s options',
      [item('44250-9', 'LA9999-9'), item('44255-8', 'LA6568-5')],
      'code-invalid',
      "linkId='44250-9'",
    ],
    [
      'two answers to a one-answer item',
      [item('44250-9', 'LA6568-5', 'LA6569-3'), item('44255-8', 'LA6568-5')],
      'structure',
      "linkId='44250-9'",
    ],
    [
      'an item the Questionnaire does not have',
      [item('44250-9', 'LA6568-5'), item('44255-8', 'LA6568-5'), item('x', 'LA6568-5')],
      'structure',
      "linkId='x'",
    ],
  ])('refuses %s, naming the item', (_label, items, code, where) => {
    const issues = checkResponse(phq2, answersOf(response(items)));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.code).toBe(code);
    expect(issues[0]?.expression?.[0]).toContain(where);
  });

  it('reads answers inside groups', () => {
    const nested = response([{ linkId: 'g', item: [item('44250-9', 'LA6568-5'), item('44255-8', 'LA6568-5')] }]);
    expect([...answersOf(nested).keys()]).toEqual(['44250-9', '44255-8']);
  });
});

describe('an answer that excludes the others (questionnaire-optionExclusive)', () => {
  const hrsn = shippedQuestionnaires().find((q) => q.id === 'ahc-hrsn');
  if (!hrsn) throw new Error('ahc-hrsn not shipped');
  const housing = (...codes: string[]) =>
    checkResponse(hrsn, answersOf(response([item('96778-6', ...codes)]))).filter((i) =>
      i.expression?.[0]?.includes("linkId='96778-6'"),
    );

  it.each([
    ['"None of the above" alone', ['LA9-3'], 0],
    ['several problems', ['LA31996-4', 'LA28580-1'], 0],
    ['"None of the above" with a problem', ['LA9-3', 'LA28580-1'], 1],
    ['a problem with "None of the above"', ['LA31998-0', 'LA9-3'], 1],
  ])('%s: %i issue(s)', (_label, codes, count) => {
    const issues = housing(...codes);
    expect(issues).toHaveLength(count);
    if (count) {
      expect(issues[0]?.code).toBe('business-rule');
      expect(issues[0]?.diagnostics).toContain('"None of the above" excludes the other answers');
    }
  });
});
