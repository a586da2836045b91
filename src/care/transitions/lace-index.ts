// The LACE index of 30-day readmission or death (van Walraven C et al. CMAJ 2010;182:551-557),
// each component shown: L, length of stay in days (<1: 0, 1: 1, 2: 2, 3: 3, 4-6: 4, 7-13: 5,
// >=14: 7); A, acute (emergent) admission: 3; C, Charlson comorbidity index (0: 0, 1: 1, 2: 2,
// 3: 3, >=4: 5); E, emergency department visits in the previous 6 months (0-3 as counted, >=4: 4).
// Total 0-19, banded low (0-4), moderate (5-9), high (>=10) as health systems commonly use it.
// The Charlson categories and weights are data (content/transitions/charlson.json). Pure.
import { readFileSync } from 'node:fs';
import type { Condition } from '@medplum/fhirtypes';

interface CharlsonCategory {
  readonly id: string;
  readonly weight: number;
  readonly icd10: readonly string[];
  readonly words: readonly string[];
  readonly replacedBy?: string;
}

let categories: readonly CharlsonCategory[] | undefined;
function charlsonCategories(): readonly CharlsonCategory[] {
  categories ??= (
    JSON.parse(readFileSync(new URL('../../../content/transitions/charlson.json', import.meta.url), 'utf8')) as {
      categories: CharlsonCategory[];
    }
  ).categories;
  return categories;
}

const ICD10 = /icd-10/i;

/** The Charlson categories a condition falls in (by ICD-10 code prefix, or by its words). */
function categoriesOf(condition: Condition): string[] {
  const codes = (condition.code?.coding ?? []).filter((c) => ICD10.test(c.system ?? '')).map((c) => c.code ?? '');
  const text = [condition.code?.text, ...(condition.code?.coding ?? []).map((c) => c.display)].join(' ').toLowerCase();
  return charlsonCategories()
    .filter(
      (cat) =>
        codes.some((code) => cat.icd10.some((p) => code.startsWith(p))) || cat.words.some((w) => text.includes(w)),
    )
    .map((c) => c.id);
}

export interface CharlsonResult {
  readonly score: number;
  readonly categories: readonly string[];
}

export function charlsonIndex(conditions: readonly Condition[]): CharlsonResult {
  const found = new Set(conditions.flatMap(categoriesOf));
  const all = charlsonCategories();
  // A mild form does not count beside its severe form (diabetes beside diabetes with complications).
  for (const cat of all) if (cat.replacedBy && found.has(cat.replacedBy)) found.delete(cat.id);
  const score = all.filter((c) => found.has(c.id)).reduce((n, c) => n + c.weight, 0);
  return { score, categories: all.filter((c) => found.has(c.id)).map((c) => c.id) };
}

export const lacePoints = {
  length(days: number): number {
    if (days < 1) return 0;
    if (days <= 3) return days;
    if (days <= 6) return 4;
    if (days <= 13) return 5;
    return 7;
  },
  acuity(emergent: boolean): number {
    return emergent ? 3 : 0;
  },
  comorbidity(charlson: number): number {
    return charlson >= 4 ? 5 : charlson;
  },
  emergency(visits: number): number {
    return Math.min(visits, 4);
  },
};

export type LaceBand = 'low' | 'moderate' | 'high';

export interface LaceResult {
  readonly total: number;
  readonly band: LaceBand;
  readonly components: {
    readonly length: { readonly days: number; readonly points: number };
    readonly acuity: { readonly emergent: boolean; readonly points: number };
    readonly comorbidity: {
      readonly charlson: number;
      readonly categories: readonly string[];
      readonly points: number;
    };
    readonly emergency: { readonly visits: number; readonly points: number };
  };
}

export function laceBand(total: number): LaceBand {
  return total >= 10 ? 'high' : total >= 5 ? 'moderate' : 'low';
}

export function scoreLace(input: {
  lengthOfStayDays: number;
  emergent: boolean;
  conditions: readonly Condition[];
  edVisitsPrior6Months: number;
}): LaceResult {
  const charlson = charlsonIndex(input.conditions);
  const components = {
    length: { days: input.lengthOfStayDays, points: lacePoints.length(input.lengthOfStayDays) },
    acuity: { emergent: input.emergent, points: lacePoints.acuity(input.emergent) },
    comorbidity: {
      charlson: charlson.score,
      categories: charlson.categories,
      points: lacePoints.comorbidity(charlson.score),
    },
    emergency: { visits: input.edVisitsPrior6Months, points: lacePoints.emergency(input.edVisitsPrior6Months) },
  };
  const total =
    components.length.points + components.acuity.points + components.comorbidity.points + components.emergency.points;
  return { total, band: laceBand(total), components };
}

/** Whole days between admission and discharge (calendar dates). */
export function lengthOfStay(start: string, end: string): number {
  return Math.max(
    0,
    Math.round(
      (Date.parse(`${end.slice(0, 10)}T00:00:00Z`) - Date.parse(`${start.slice(0, 10)}T00:00:00Z`)) / 86_400_000,
    ),
  );
}
