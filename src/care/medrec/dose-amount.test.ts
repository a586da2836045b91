import { describe, expect, it } from 'vitest';
import { amountsPerDose, describeAmounts } from './dose-amount.js';
import { resolveMedication } from './resolve-medication.js';

const amounts = (text: string, dose?: [number, string]) => {
  const a = amountsPerDose(
    resolveMedication({ text }).ingredients,
    dose ? { value: dose[0], unit: dose[1] } : undefined,
  );
  return a ? describeAmounts(a) : undefined;
};

describe('the amount one dose gives', () => {
  it.each<[string, [number, string] | undefined, string | undefined]>([
    ['Furosemide 10 MG/ML Injectable Solution', [4, 'mL'], '40 mg'], // a concentration is not a dose
    ['Furosemide 10 MG/ML Injectable Solution', undefined, undefined],
    ['Furosemide 40 MG Oral Tablet', undefined, '40 mg'],
    ['Furosemide 20 MG Oral Tablet', [2, 'tablet'], '40 mg'],
    ['furosemide', [40, 'mg'], '40 mg'],
    ['amoxicillin 250 mg/5 ml suspension', [10, 'ml'], '500 mg'],
    ['Lisinopril 20 mg / hydrochlorothiazide 12.5 mg', undefined, 'lisinopril 20 mg + hydrochlorothiazide 12.5 mg'],
    ['Zestoretic 20-12.5 mg', [1, 'tablet'], 'lisinopril 20 mg + hydrochlorothiazide 12.5 mg'],
    ['Zestoretic 20-12.5 mg', [2, 'tablets'], 'lisinopril 40 mg + hydrochlorothiazide 25 mg'],
    ['Zestoretic', [1, 'tablet'], undefined], // no strengths known
    ['Lisinopril 20 mg / hydrochlorothiazide 12.5 mg', [20, 'mg'], undefined], // mg of which?
    ['Albuterol 90 MCG/ACTUAT Metered Dose Inhaler', [2, 'puffs'], '0.18 mg'],
  ])('%s, %j: %s', (text, dose, expected) => expect(amounts(text, dose)).toBe(expected));
});
