import { describe, expect, it } from 'vitest';
import { correctSpelling, normalizeStrength, resolveMedication } from './resolve-medication.js';

const names = (text: string) => resolveMedication({ text }).ingredients.map((i) => i.name);

describe('resolveMedication', () => {
  it.each([
    ['Lisinopril 10 MG Oral Tablet', ['lisinopril'], 'name'],
    ['metoprolol succ ER 25mg', ['metoprolol'], 'name'],
    ['Metoprolol succinate 25 MG 24HR Extended Release Oral Tablet', ['metoprolol'], 'name'],
    ['Hydrochlorothiazide 12.5 MG / Lisinopril 10 MG Oral Tablet', ['hydrochlorothiazide', 'lisinopril'], 'name'],
    ['Zestoretic 20-12.5 tablet', ['lisinopril', 'hydrochlorothiazide'], 'brand'],
    ['Lipitor 40mg', ['atorvastatin'], 'brand'],
    ['Coumadin 5 mg', ['warfarin'], 'brand'],
    ['lisinoprill 10mg', ['lisinopril'], 'spelling'],
    ['metforman 500 mg twice a day', ['metformin'], 'spelling'],
    ['Calcium carbonate 500 mg oral tablet', ['calcium carbonate'], 'name'],
    ['Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet', ['amoxicillin', 'clavulanate'], 'name'],
    ['Fluticasone propionate 250 MCG/ACTUAT inhaler', ['fluticasone'], 'name'],
    ['my water pill', [], 'unmatched'],
    ['Grandma’s herbal tea', [], 'unmatched'],
  ])('%s -> %j by %s', (text, expected, by) => {
    const r = resolveMedication({ text });
    expect(r.ingredients.map((i) => i.name)).toEqual(expected);
    expect(r.matchedBy).toBe(by);
  });

  it('reads an ingredient RxNorm code without the text', () => {
    const r = resolveMedication({
      codings: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '11289' }],
    });
    expect(r.ingredients.map((i) => i.name)).toEqual(['warfarin']);
    expect(r.matchedBy).toBe('rxnorm');
  });

  it.each([
    ['Lisinopril 10 MG Oral Tablet', 'tablet', 'immediate', 'oral'],
    ['24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet', 'tablet', 'extended', 'oral'],
    ['albuterol 90 mcg/actuation inhaler', 'inhaler', 'unspecified', 'inhalation'],
    ['Omeprazole 20 MG Delayed Release Oral Capsule', 'capsule', 'delayed', 'oral'],
    ['omeprazole 20 mg daily', undefined, 'unspecified', undefined],
    ['metoprolol tartrate 25 mg IR tablet', 'tablet', 'immediate', 'oral'],
    ['metoprolol succ ER 25mg', undefined, 'extended', undefined],
  ])('%s: form %s, release %s, route %s', (text, form, release, route) => {
    const r = resolveMedication({ text });
    expect([r.form, r.release, r.route]).toEqual([form, release, route]);
  });

  it.each([
    ['Metformin 500 mg', 500],
    ['Metformin 0.5 g', 500],
    ['Levothyroxine 50 mcg', 0.05],
  ])('%s is %f mg', (text, mg) => {
    expect(resolveMedication({ text }).ingredients[0]?.strength).toEqual({ value: mg, unit: 'mg' });
  });

  it('keeps a combination product’s parts without a per-part strength when unclear', () => {
    expect(names('Lisinopril and hydrochlorothiazide tablet')).toEqual(['lisinopril', 'hydrochlorothiazide']);
  });
});

it.each([
  ['lisinoprl', 'lisinopril'],
  ['warfrin', 'warfarin'],
  ['xyzzyq', undefined],
])('correctSpelling(%s) = %s', (word, expected) => {
  expect(correctSpelling(word)).toBe(expected);
});

it('normalizes strengths to mg', () => {
  expect(normalizeStrength(1, 'g')).toEqual({ value: 1000, unit: 'mg' });
  expect(normalizeStrength(25, 'mcg')).toEqual({ value: 0.025, unit: 'mg' });
});
