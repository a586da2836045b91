import type { AllergyIntolerance, MedicationRequest, MedicationStatement } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { type DiscrepancyKind, type MedicationEntry, reconcileMedications } from './reconcile-medications.js';

let n = 0;
const home = (text: string, dose = '', extra: Partial<MedicationStatement> = {}): MedicationEntry => {
  const id = `h${++n}`;
  return {
    ref: `MedicationStatement/${id}`,
    source: 'home',
    resource: {
      resourceType: 'MedicationStatement',
      id,
      status: 'active',
      subject: { reference: 'Patient/p' },
      medicationCodeableConcept: { text },
      ...(dose ? { dosage: [{ text: dose }] } : {}),
      ...extra,
    },
  };
};
const discharge = (text: string, dose = '', extra: Partial<MedicationRequest> = {}): MedicationEntry => {
  const id = `d${++n}`;
  return {
    ref: `MedicationRequest/${id}`,
    source: 'discharge',
    resource: {
      resourceType: 'MedicationRequest',
      id,
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p' },
      medicationCodeableConcept: { text },
      ...(dose ? { dosageInstruction: [{ text: dose }] } : {}),
      ...extra,
    },
  };
};
const allergy = (text: string): AllergyIntolerance => ({
  resourceType: 'AllergyIntolerance',
  id: 'a1',
  patient: { reference: 'Patient/p' },
  code: { text },
});

const kinds = (entries: MedicationEntry[], allergies: AllergyIntolerance[] = []) =>
  reconcileMedications({ entries, allergies }).discrepancies.map((d) => d.kind);

describe('each discrepancy kind', () => {
  it.each<[string, MedicationEntry[], AllergyIntolerance[], DiscrepancyKind[]]>([
    [
      'nothing changed',
      [home('Lisinopril 10 MG Oral Tablet', '10 mg daily'), discharge('Lisinopril 10 MG Oral Tablet', '10 mg daily')],
      [],
      [],
    ],
    [
      'brand and generic are the same drug',
      [home('Zestril 10 mg', '10 mg daily'), discharge('Lisinopril 10 MG Oral Tablet', '10 mg daily')],
      [],
      [],
    ],
    [
      '500 mg is 0.5 g',
      [home('Metformin 500 mg tablet', 'twice daily'), discharge('metformin 0.5 g oral tablet', 'twice daily')],
      [],
      [],
    ],
    [
      'omission: on the home list, not at discharge, no reason',
      [home('Levothyroxine 50 mcg tablet'), discharge('Lisinopril 10 mg tablet')],
      [],
      ['omission', 'new-medication'],
    ],
    [
      'a documented stop is no omission',
      [
        home('Levothyroxine 50 mcg tablet', '', { status: 'stopped', statusReason: [{ text: 'TSH suppressed' }] }),
        discharge('Lisinopril 10 mg tablet'),
      ],
      [],
      ['new-medication'],
    ],
    [
      'new medication',
      [home('Lisinopril 10 mg tablet'), discharge('Lisinopril 10 mg tablet'), discharge('Furosemide 40 mg tablet')],
      [],
      ['new-medication'],
    ],
    ['dose change', [home('Lisinopril 10 mg tablet'), discharge('Lisinopril 20 mg tablet')], [], ['dose-change']],
    [
      'frequency change',
      [home('Metformin 500 mg tablet', 'once daily'), discharge('Metformin 500 mg tablet', 'twice daily')],
      [],
      ['frequency-change'],
    ],
    [
      'extended-release vs immediate-release',
      [
        home('Metoprolol succinate 25 MG 24HR Extended Release Oral Tablet'),
        discharge('Metoprolol tartrate 25 MG Oral Tablet'),
      ],
      [],
      ['route-form-change'],
    ],
    [
      // Issue 15 §3: a release nobody stated is no change of form.
      'an unspecified release against a delayed-release capsule',
      [home('omeprazole 20 mg daily'), discharge('Omeprazole 20 MG Delayed Release Oral Capsule')],
      [],
      [],
    ],
    [
      'a combination product duplicating one of its parts',
      [
        home('Lisinopril 10 mg tablet'),
        discharge('Lisinopril 10 mg tablet'),
        discharge('Hydrochlorothiazide 12.5 MG / Lisinopril 10 MG Oral Tablet'),
      ],
      [],
      ['duplication', 'new-medication'],
    ],
    ['the same drug twice in one list', [home('Lisinopril 10 mg tablet'), home('Zestril 10 mg')], [], ['duplication']],
    [
      'two drugs of one class',
      [home('Atorvastatin 40 mg tablet'), home('Simvastatin 20 mg tablet')],
      [],
      ['therapeutic-duplication'],
    ],
    [
      'an ONC high-priority pair across two lists',
      [
        home('Simvastatin 40 mg tablet'),
        discharge('Simvastatin 40 mg tablet'),
        discharge('Clarithromycin 500 mg tablet'),
      ],
      [],
      ['drug-interaction', 'new-medication'],
    ],
    [
      'an allergy to a class against a member',
      [home('Amoxicillin 500 mg capsule')],
      [allergy('Allergy to penicillin')],
      ['drug-allergy'],
    ],
    [
      'an allergy to the ingredient itself',
      [home('Bactrim DS tablet')],
      [allergy('Sulfamethoxazole')],
      ['drug-allergy'],
    ],
    ['a misspelled name still matches', [home('lisinoprill 10mg'), discharge('Lisinopril 10 mg tablet')], [], []],
    ['an unresolvable name is kept and flagged', [home('the little white pill for my nerves')], [], ['unmatched']],
    [
      'a combination product keeps each strength: the same product written two ways',
      [
        home('Lisinopril 20 mg / hydrochlorothiazide 12.5 mg', '1 tablet daily'),
        discharge('Hydrochlorothiazide 12.5 MG / Lisinopril 20 MG Oral Tablet', '1 tablet by mouth daily'),
      ],
      [],
      [],
    ],
    [
      'a combination written as a brand with its strengths, the dose in mg',
      [home('Zestoretic 20-12.5 mg', 'take one daily'), discharge('lisinopril 20 mg/HCTZ 12.5 mg tablet', 'daily')],
      [],
      [],
    ],
    [
      'a combination whose one ingredient changes strength',
      [
        home('Lisinopril 20 mg / hydrochlorothiazide 12.5 mg', '1 tablet daily'),
        discharge('Hydrochlorothiazide 25 MG / Lisinopril 20 MG Oral Tablet', '1 tablet daily'),
      ],
      [],
      ['dose-change'],
    ],
    [
      'a concentration is not a dose: 10 mg/mL, 4 mL IV is 40 mg; oral to IV is a route change',
      [
        home('Furosemide 40 MG Oral Tablet', '40 mg by mouth once daily'),
        discharge('Furosemide 10 MG/ML Injectable Solution', '4 mL IV once daily'),
      ],
      [],
      ['route-form-change'],
    ],
    [
      'a concentration at another volume is a dose change',
      [
        home('Furosemide 40 MG Oral Tablet', '40 mg by mouth once daily'),
        discharge('Furosemide 10 MG/ML Injectable Solution', '8 mL IV once daily'),
      ],
      [],
      ['dose-change', 'route-form-change'],
    ],
    [
      'two tablets of 20 mg are 40 mg',
      [
        home('Furosemide 40 MG Oral Tablet', 'once daily'),
        discharge('Furosemide 20 MG Oral Tablet', '2 tablets daily'),
      ],
      [],
      [],
    ],
    [
      'the structured route comes first: dosage.route intravenous against an oral home dose',
      [
        home('Furosemide 40 mg', '40 mg once daily', {
          dosage: [
            { text: '40 mg once daily', route: { coding: [{ system: 'http://snomed.info/sct', code: '26643006' }] } },
          ],
        }),
        discharge('Furosemide 40 mg', '', {
          dosageInstruction: [
            {
              text: '40 mg once daily',
              route: { coding: [{ system: 'http://snomed.info/sct', code: '47625008', display: 'Intravenous' }] },
            },
          ],
        }),
      ],
      [],
      ['route-form-change'],
    ],
    [
      'the structured dose comes first: doseAndRate 20 mg over text that says 40',
      [
        home('Lisinopril 40 mg', '40 mg daily'),
        discharge('Lisinopril', '', {
          dosageInstruction: [
            {
              text: 'lisinopril 40 mg daily',
              doseAndRate: [{ doseQuantity: { value: 20, unit: 'mg' } }],
              timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
            },
          ],
        }),
      ],
      [],
      ['dose-change'],
    ],
    [
      "a contained Medication's ingredients and strength come before the words",
      [
        home('Metoprolol tartrate 25 mg tablet', '1 tablet twice daily'),
        discharge('', '', {
          medicationCodeableConcept: undefined,
          medicationReference: { reference: '#m1', display: 'metoprolol tablet' },
          contained: [
            {
              resourceType: 'Medication',
              id: 'm1',
              code: { text: 'Metoprolol tartrate oral tablet' },
              form: { text: 'Oral tablet' },
              ingredient: [
                {
                  itemCodeableConcept: { text: 'metoprolol tartrate' },
                  strength: { numerator: { value: 50, unit: 'mg' }, denominator: { value: 1, unit: 'tablet' } },
                },
              ],
            },
          ],
          dosageInstruction: [{ text: '1 tablet twice daily' }],
        }),
      ],
      [],
      ['dose-change'],
    ],
  ])('%s', (_, entries, allergies, expected) => {
    expect(kinds(entries, allergies).sort()).toEqual([...expected].sort());
  });
});

describe('severity and words', () => {
  it('an ONC high-priority pair is high, named with its source and the entries that caused it', () => {
    const s = home('Simvastatin 40 mg tablet');
    const c = discharge('Clarithromycin 500 mg tablet');
    const { discrepancies } = reconcileMedications({
      entries: [s, discharge('Simvastatin 40 mg tablet'), c],
      allergies: [],
    });
    const ddi = discrepancies.find((d) => d.kind === 'drug-interaction');
    expect(ddi?.severity).toBe('high');
    expect(ddi?.implicated).toContain(c.ref);
    expect(ddi?.text).toContain('clarithromycin with simvastatin');
    expect(ddi?.source).toContain('ONC high-priority');
    expect(discrepancies[0]?.kind).toBe('drug-interaction');
  });
  it('an omission says what is missing and where', () => {
    const { discrepancies } = reconcileMedications({
      entries: [home('Levothyroxine 50 mcg tablet'), discharge('Lisinopril 10 mg tablet')],
      allergies: [],
    });
    expect(discrepancies.find((d) => d.kind === 'omission')?.text).toBe(
      '"Levothyroxine 50 mcg tablet" (home list) is not in the discharge orders, and no reason to stop it is recorded.',
    );
  });
  it('proposes continue, stop and new from the lists', () => {
    const { items } = reconcileMedications({
      entries: [
        home('Levothyroxine 50 mcg tablet'),
        home('Lisinopril 10 mg tablet'),
        discharge('Lisinopril 10 mg tablet'),
        discharge('Furosemide 40 mg tablet'),
      ],
      allergies: [],
    });
    expect(Object.fromEntries(items.map((i) => [i.key, i.proposed]))).toEqual({
      furosemide: 'new',
      levothyroxine: 'stop',
      lisinopril: 'continue',
    });
  });
});
