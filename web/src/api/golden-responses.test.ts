// The web app's decoders read the answers the server gave in its own API tests (test/golden/*.json,
// recorded by test/api/golden-responses.int.test.ts). A field the server renames or drops leaves a
// decoded field empty: each decoder's empty fields are listed here, so such a change fails this
// test, and the facts each screen shows from the demo clinic are checked.
import type { Parameters } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import afterHospitalPlan from '../../../test/golden/after-hospital-plan.json';
import carePlanHistory from '../../../test/golden/care-plan-history.json';
import medicationSchedule from '../../../test/golden/medication-schedule.json';
import needs from '../../../test/golden/needs.json';
import readiness from '../../../test/golden/readiness.json';
import reconciliation from '../../../test/golden/reconciliation.json';
import tcmStatus from '../../../test/golden/tcm-status.json';
import { parseNeeds } from '../assessment/needs.js';
import { readPlanHistory } from '../careplan/care-plan-api.js';
import { readReconciliation, readSchedule } from '../medrec/medrec-view.js';
import { readAfterHospitalPlan } from '../transitions/after-hospital-plan.js';
import { readReadiness, readTcm } from '../transitions/transition-words.js';

const asParameters = (json: unknown) => json as Parameters;

/** The paths (list positions as []) of the decoded fields that came out empty. */
function blanks(value: unknown, path = ''): string[] {
  if (value === undefined || value === '') return [path];
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => blanks(v, `${path}[]`)))];
  if (value && typeof value === 'object')
    return [...new Set(Object.entries(value).flatMap(([k, v]) => blanks(v, path ? `${path}.${k}` : k)))];
  return [];
}

it.each([
  // Not yet recorded by the physician: the complexity and who recorded it.
  [
    'tcm-status',
    () => readTcm(asParameters(tcmStatus)),
    ['complexity', 'complexityRecordedBy', 'complexityOnBehalfOf', 'complexityRecordedAt'],
  ],
  ['readiness', () => readReadiness(asParameters(readiness)), []],
  ['after-hospital-plan', () => readAfterHospitalPlan(asParameters(afterHospitalPlan)), []],
  // Items not decided yet, and discrepancies no decision classifies yet.
  [
    'reconciliation',
    () => readReconciliation(asParameters(reconciliation)),
    ['items[].decision', 'discrepancies[].classification'],
  ],
  ['medication-schedule', () => readSchedule(asParameters(medicationSchedule)), []],
  ['needs', () => parseNeeds(asParameters(needs)), []],
  ['care-plan-history', () => readPlanHistory(asParameters(carePlanHistory)), []],
] as const)('%s: every field the server sends is read', (_name, decode, empty) => {
  expect(blanks(decode())).toEqual(empty);
});

it('what the screens show of the demo clinic', () => {
  const tcm = readTcm(asParameters(tcmStatus));
  expect(tcm).toMatchObject({ dischargeDate: '2026-12-01', faceToFaceDue: '2026-12-08', suggestedComplexity: 'high' });
  const lace = tcm.lace;
  expect(lace && lace.L + lace.A + lace.C + lace.E).toBe(lace?.total);
  expect(readReadiness(asParameters(readiness)).items.length).toBeGreaterThan(3);
  const plan = readAfterHospitalPlan(asParameters(afterHospitalPlan));
  expect(plan.whoToCall.length).toBeGreaterThan(0);
  expect(plan.warningSigns.length).toBeGreaterThan(0);
  const rec = readReconciliation(asParameters(reconciliation));
  expect(rec.items.filter((i) => i.decision).map((i) => i.decision?.action)).toContain('hold');
  expect(readSchedule(asParameters(medicationSchedule)).sections.map((s) => s.key)).toContain('paused');
  expect(readPlanHistory(asParameters(carePlanHistory)).map((l) => l.text)).toContain('created the care plan');
});
