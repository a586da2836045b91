// How much of each ingredient one dose gives, which is what a pharmacist compares — not the
// strength printed on the product. A concentration is not a dose: furosemide 10 mg/mL, 4 mL, is
// 40 mg. Two 20 mg tablets are 40 mg. A dose stated in mg of a single-ingredient product is that
// many mg; a combination product keeps each ingredient's own strength. Pure.
import type { ResolvedIngredient } from './resolve-medication.js';

export interface Amount {
  readonly value: number;
  readonly unit: string;
}

/** Units that count dose-form units (a tablet, a puff), each giving the product's strength. */
const COUNT_UNITS = new Set([
  'tablet',
  'tab',
  'capsule',
  'cap',
  'puff',
  'actuation',
  'patch',
  'suppository',
  '{tbl}',
  '{capsule}',
  '1',
]);

const isConcentration = (unit: string) => unit.endsWith('/ml');
const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * The amount of each ingredient in one dose, or undefined when the list does not say enough (a
 * concentration without a volume, a count of tablets of an unknown strength).
 */
export function amountsPerDose(
  ingredients: readonly ResolvedIngredient[],
  dose: Amount | undefined,
): ReadonlyMap<string, Amount> | undefined {
  if (!ingredients.length) return undefined;
  const out = new Map<string, Amount>();
  const unit = dose?.unit.toLowerCase().replace(/s$/, '');
  for (const i of ingredients) {
    const s = i.strength;
    let amount: Amount | undefined;
    if (dose && unit === 'mg' && ingredients.length === 1) amount = { value: dose.value, unit: 'mg' };
    else if (dose && unit === 'ml' && s && isConcentration(s.unit))
      amount = { value: round(s.value * dose.value), unit: s.unit.slice(0, -'/ml'.length) };
    else if (dose && unit && COUNT_UNITS.has(unit) && s && !isConcentration(s.unit))
      amount = { value: round(s.value * dose.value), unit: s.unit };
    else if (!dose && s && !isConcentration(s.unit)) amount = s;
    if (!amount) return undefined;
    out.set(i.name, amount);
  }
  return out;
}

/** "40 mg", or "lisinopril 20 mg + hydrochlorothiazide 12.5 mg" for a combination. */
export function describeAmounts(amounts: ReadonlyMap<string, Amount>): string {
  const parts = [...amounts].map(([name, a]) => ({ name, text: `${a.value} ${a.unit}` }));
  return parts.length === 1 ? (parts[0]?.text ?? '') : parts.map((p) => `${p.name} ${p.text}`).join(' + ');
}

/** Whether two doses differ for any ingredient (both known, the same ingredients). */
export function amountsDiffer(a: ReadonlyMap<string, Amount>, b: ReadonlyMap<string, Amount>): boolean {
  if (a.size !== b.size) return true;
  for (const [name, x] of a) {
    const y = b.get(name);
    if (!y || y.unit !== x.unit || Math.abs(y.value - x.value) > 1e-9) return true;
  }
  return false;
}
