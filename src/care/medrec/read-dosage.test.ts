import { expect, it } from 'vitest';
import { readDosage } from './read-dosage.js';

it.each([
  ['40 mg by mouth at bedtime', 40, 1, false, ['bedtime']],
  ['500 mg by mouth twice daily', 500, 2, false, ['morning', 'evening']],
  ['1 puff twice daily', 1, 2, false, ['morning', 'evening']],
  ['500 mg by mouth every 6 hours as needed for pain', 500, 4, true, []],
  ['2.5 mg TID', 2.5, 3, false, ['morning', 'midday', 'evening']],
  ['50 mcg by mouth every morning', 0.05, 1, false, ['morning']],
  ['Take 1 tablet weekly', 1, 0.143, false, []],
  ['as directed', undefined, undefined, false, []],
])('"%s": dose %s, %s a day, as needed %s, %j', (text, dose, times, asNeeded, when) => {
  const r = readDosage([{ text }]);
  expect(r.dose?.value).toBe(dose);
  expect(r.timesPerDay).toBe(times);
  expect(r.asNeeded).toBe(asNeeded);
  expect(r.timesOfDay).toEqual(when);
});

it('prefers the structured timing and dose', () => {
  const r = readDosage([
    {
      text: 'whatever',
      timing: { repeat: { frequency: 1, period: 12, periodUnit: 'h' } },
      doseAndRate: [{ doseQuantity: { value: 0.5, unit: 'g' } }],
    },
  ]);
  expect(r.timesPerDay).toBe(2);
  expect(r.dose).toEqual({ value: 500, unit: 'mg' });
});
