import type { Questionnaire } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { toResponseItems, unanswered } from './questionnaire-form.js';

const q: Questionnaire = {
  resourceType: 'Questionnaire',
  status: 'active',
  item: [
    { linkId: 'a', text: 'A', type: 'choice', required: true },
    { linkId: 'b', text: 'B', type: 'choice', required: false },
    { linkId: 'c', text: 'C', type: 'choice', required: true, repeats: true },
  ],
};

it('names the required items left unanswered', () => {
  expect(unanswered(q, { b: [{ code: 'x' }] }).map((i) => i.linkId)).toEqual(['a', 'c']);
  expect(unanswered(q, { a: [{ code: 'x' }], c: [{ code: 'y' }] })).toEqual([]);
});

it('turns the choices into response items, in the Questionnaire’s order, skipping the unanswered', () => {
  expect(toResponseItems(q, { c: [{ code: 'y' }, { code: 'z' }], a: [{ code: 'x' }] })).toEqual([
    { linkId: 'a', text: 'A', answer: [{ valueCoding: { code: 'x' } }] },
    { linkId: 'c', text: 'C', answer: [{ valueCoding: { code: 'y' } }, { valueCoding: { code: 'z' } }] },
  ]);
});
