// Issue 15 §2: the interactions every pharmacist knows are flagged, under the names US medication
// lists use, and commonly co-prescribed pairs stay silent. Tables of cases; the last test walks the
// whole ONC high-priority list (Phansalkar et al., JAMIA 2012) from RxNorm-style names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MedicationRequest } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/support/shared-data.js';
import { type MedicationEntry, reconcileMedications } from './reconcile-medications.js';

let n = 0;
/** A discharge order as an EHR writes it: an RxNorm clinical drug name. */
const order = (text: string): MedicationEntry => {
  const id = `d${++n}`;
  const resource: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/p' },
    medicationCodeableConcept: { text },
  };
  return { ref: `MedicationRequest/${id}`, source: 'discharge', resource };
};

function interactionOf(a: string, b: string) {
  const { discrepancies } = reconcileMedications({ entries: [order(a), order(b)], allergies: [] });
  return discrepancies.find((d) => d.kind === 'drug-interaction');
}

describe('well-known major interactions are flagged high, with their source', () => {
  it.each([
    ['Warfarin Sodium 5 MG Oral Tablet', 'Amiodarone Hydrochloride 200 MG Oral Tablet', 'NDF-RT'],
    ['Warfarin Sodium 5 MG Oral Tablet', 'Clarithromycin 500 MG Oral Tablet', 'NDF-RT'],
    ['Digoxin 0.125 MG Oral Tablet', 'Amiodarone Hydrochloride 200 MG Oral Tablet', 'NDF-RT'],
    ['Digoxin 0.125 MG Oral Tablet', 'Clarithromycin 500 MG Oral Tablet', 'NDF-RT'],
    ['Warfarin Sodium 5 MG Oral Tablet', 'Fluconazole 150 MG Oral Tablet', 'NDF-RT'],
    ['Warfarin Sodium 5 MG Oral Tablet', 'Sulfamethoxazole 800 MG / Trimethoprim 160 MG Oral Tablet', 'NDF-RT'],
    ['Methotrexate 2.5 MG Oral Tablet', 'Trimethoprim 100 MG Oral Tablet', 'NDF-RT'],
    ['Sildenafil 50 MG Oral Tablet', 'Nitroglycerin 0.4 MG Sublingual Tablet', 'NDF-RT'],
    ['Simvastatin 40 MG Oral Tablet', 'Clarithromycin 500 MG Oral Tablet', 'ONC high-priority'],
    ['Meperidine Hydrochloride 50 MG Oral Tablet', 'Phenelzine 15 MG Oral Tablet', 'ONC high-priority'],
    ['Rifampin 300 MG Oral Capsule', 'Ritonavir 100 MG Oral Tablet', 'ONC high-priority'],
  ])('%s with %s', (a, b, source) => {
    const hit = interactionOf(a, b);
    expect(hit?.severity).toBe('high');
    expect(hit?.source).toContain(source);
  });
});

describe('commonly co-prescribed pairs without a significant interaction stay silent', () => {
  it.each([
    ['Lisinopril 10 MG Oral Tablet', 'Atorvastatin 40 MG Oral Tablet'],
    ['Metformin Hydrochloride 500 MG Oral Tablet', 'Lisinopril 10 MG Oral Tablet'],
    ['Metformin Hydrochloride 500 MG Oral Tablet', 'Atorvastatin 40 MG Oral Tablet'],
    ['Metoprolol Succinate 50 MG Extended Release Oral Tablet', 'Lisinopril 10 MG Oral Tablet'],
    ['Aspirin 81 MG Oral Tablet', 'Atorvastatin 40 MG Oral Tablet'],
    ['Levothyroxine Sodium 0.05 MG Oral Tablet', 'Lisinopril 10 MG Oral Tablet'],
    ['Amlodipine 5 MG Oral Tablet', 'Lisinopril 10 MG Oral Tablet'],
  ])('%s with %s', (a, b) => {
    expect(interactionOf(a, b)).toBeUndefined();
  });
});

describe('the ONC high-priority list under US names', () => {
  const names = JSON.parse(
    readFileSync(new URL('../../../content/drug-knowledge/curated/names.json', import.meta.url), 'utf8'),
  ) as { usNames: Record<string, string>; notMarketedInUs: string[] };
  const usName = (name: string) => {
    const lower = name.trim().toLowerCase();
    return names.usNames[lower] ?? lower;
  };
  const pairs = readFileSync(join(sharedData('drug-knowledge'), 'ONC_High_Priority_Mapped.csv'), 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.split('$'))
    .filter((f) => f[0] && f[2])
    .map((f) => [usName(f[0] as string), usName(f[2] as string)] as const)
    .filter(([a, b]) => a !== b && !names.notMarketedInUs.includes(a) && !names.notMarketedInUs.includes(b));
  const title = (s: string) => s.replace(/\b\w/g, (c) => c.toUpperCase());

  it('reaches the international names by their US ones', () => {
    for (const [inn, us] of [
      ['pethidine', 'meperidine'],
      ['rifampicin', 'rifampin'],
      ['methylergometrine', 'methylergonovine'],
    ]) {
      expect(usName(inn as string)).toBe(us);
      expect(pairs.some(([a, b]) => a === us || b === us)).toBe(true);
    }
  });

  it(`fires for every pair of US-marketed drugs, from RxNorm-style names`, () => {
    expect(pairs.length).toBeGreaterThan(1700);
    const silent = pairs.filter(([a, b]) => {
      const hit = interactionOf(`${title(a)} 10 MG Oral Tablet`, `${title(b)} 10 MG Oral Tablet`);
      return hit?.severity !== 'high';
    });
    expect(silent).toEqual([]);
  });
});
