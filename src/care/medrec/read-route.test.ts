import { describe, expect, it } from 'vitest';
import { routeFromConcept, routeFromText, routesDiffer } from './read-route.js';

describe('routes from words', () => {
  it.each([
    ['40 mg IV once daily', 'intravenous'],
    ['40 mg IVP', 'intravenous'],
    ['40 mg by mouth daily', 'oral'],
    ['1 tab PO BID', 'oral'],
    ['0.4 mg SL as needed', 'sublingual'],
    ['40 units subcut at bedtime', 'subcutaneous'],
    ['2 puffs every 4 hours', 'inhalation'],
    ['1 drop in each eye', 'ophthalmic'],
    ['take 1 tablet daily', undefined],
    ['daily', undefined],
  ])('%s: %s', (text, route) => expect(routeFromText(text)).toBe(route));
});

describe('routes from codes come first', () => {
  it.each([
    [{ coding: [{ system: 'http://snomed.info/sct', code: '47625008' }], text: 'oral' }, 'intravenous'],
    [{ coding: [{ system: 'http://snomed.info/sct', code: '26643006' }] }, 'oral'],
    [{ text: 'Intravenous' }, 'intravenous'],
    [undefined, undefined],
  ])('%j: %s', (concept, route) => expect(routeFromConcept(concept)).toBe(route));
});

describe('route changes', () => {
  it.each([
    ['oral', 'intravenous', true],
    ['oral', 'oral', false],
    ['injection', 'intravenous', false], // an injectable product given IV
    ['injection', 'oral', true],
    ['intravenous', 'subcutaneous', true],
    [undefined, 'intravenous', false],
  ])('%s to %s: %s', (a, b, differ) => expect(routesDiffer(a, b)).toBe(differ));
});
