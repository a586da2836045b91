// What real medication lists say, resolved to ingredients, strength, dose form, release and route:
// RxNorm codings (an ingredient CUI directly; a clinical drug through its name, as Synthea writes
// it: "Hydrochlorothiazide 12.5 MG / Lisinopril 10 MG Oral Tablet"), free text ("metoprolol succ ER
// 25mg"), brand names (curated), and names with a typo of a letter or two (Damerau-Levenshtein
// distance 1 for names up to 6 letters, 2 beyond). What cannot be resolved is kept, flagged
// unmatched. Pure, over the knowledge base.
import { type DrugKnowledge, drugKnowledge } from './drug-knowledge.js';

export interface ResolvedIngredient {
  readonly name: string;
  readonly rxcui: string | undefined;
  /**
   * Strength per unit of the product in mg (or the unit as written when not a mass); a liquid's
   * strength is a concentration, unit `mg/ml`: 10 mg/mL is no dose until a volume is given.
   */
  readonly strength?: { readonly value: number; readonly unit: string };
}

export type MatchedBy = 'rxnorm' | 'name' | 'brand' | 'spelling' | 'unmatched';

export interface ResolvedMedication {
  readonly text: string;
  readonly ingredients: readonly ResolvedIngredient[];
  readonly form: string | undefined;
  /**
   * As stated. RxNorm clinical drug names state every release but the immediate one ("Omeprazole 20
   * MG Delayed Release Oral Capsule", "Lisinopril 10 MG Oral Tablet"), so such a name without one is
   * immediate; free text without one ("omeprazole 20 mg daily") is unspecified, not immediate.
   */
  readonly release: 'extended' | 'delayed' | 'immediate' | 'unspecified';
  readonly route: string | undefined;
  readonly matchedBy: MatchedBy;
  /** What was read as a drug name but matched nothing. */
  readonly unmatchedWords: readonly string[];
}

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** A clinical drug name as RxNorm writes one: a strength, then a dose form with its route ("10 MG Oral Tablet"). */
const RXNORM_CLINICAL_DRUG =
  /\b\d[\d.]*\s?(mg|mcg|unt|meq|ml|mg\/ml|mcg\/actuat)\b.*\b(oral|sublingual|buccal|topical|transdermal|injectable|inhalation|nasal|ophthalmic|rectal|vaginal|otic|chewable)\b/i;

/** Whether an RxNorm code names a clinical drug (a product), not an ingredient: its name states the release. */
function codesClinicalDrug(
  codings: readonly { system?: string; code?: string }[] | undefined,
  kb: DrugKnowledge,
): boolean {
  return (codings ?? []).some((c) => c.system === RXNORM && c.code !== undefined && !kb.nameOfRxcui.has(c.code));
}

const FORMS: readonly [RegExp, string, string][] = [
  [/\b(tablets?|tabs?)\b/, 'tablet', 'oral'],
  [/\b(capsules?|caps?)\b/, 'capsule', 'oral'],
  [/\b(inhalers?|inhalation|inhal|actuat\w*|puffs?|mdi|diskus)\b/, 'inhaler', 'inhalation'],
  [/\b(injections?|injectable|syringe|pen|vial)\b/, 'injection', 'injection'],
  [/\b(patch|patches|transdermal)\b/, 'patch', 'transdermal'],
  [/\b(solution|suspension|syrup|liquid|elixir)\b/, 'liquid', 'oral'],
  [/\b(cream|ointment|gel|lotion)\b/, 'topical', 'topical'],
  [/\b(eye drops?|ophthalmic)\b/, 'eye drops', 'ophthalmic'],
  [/\b(nasal spray|nasal)\b/, 'nasal spray', 'nasal'],
];

/** Salt and ester words that name the same active moiety (the comparison is by base ingredient). */
const SALTS = new Set([
  'sodium',
  'potassium',
  'hydrochloride',
  'hcl',
  'succinate',
  'succ',
  'tartrate',
  'besylate',
  'maleate',
  'mesylate',
  'bromide',
  'propionate',
  'sulfate',
  'citrate',
  'fumarate',
  'disodium',
  'acetate',
  'hyclate',
  'monohydrate',
  'dihydrate',
  'furoate',
  'xinafoate',
  'magnesium',
  'calcium',
  'hydrobromide',
  'phosphate',
]);

/** Words in medication text that are not drug names. */
const NOISE = new Set([
  'mg',
  'g',
  'mcg',
  'ml',
  'unt',
  'units',
  'unit',
  'oral',
  'tablet',
  'tablets',
  'tab',
  'tabs',
  'capsule',
  'capsules',
  'cap',
  'caps',
  'er',
  'xl',
  'xr',
  'sr',
  'cr',
  'dr',
  'ir',
  'hr',
  'extended',
  'release',
  'delayed',
  'immediate',
  'by',
  'mouth',
  'daily',
  'once',
  'twice',
  'a',
  'day',
  'take',
  'and',
  'with',
  'the',
  'for',
  'of',
  'in',
  'per',
  'inhaler',
  'inhalation',
  'actuation',
  'actuat',
  'metered',
  'dose',
  'injection',
  'injectable',
  'solution',
  'suspension',
  'prefilled',
  'syringe',
  'pen',
  'patch',
  'transdermal',
  'chewable',
  'film',
  'coated',
  'enteric',
  'disintegrating',
  'topical',
  'cream',
  'ointment',
  'spray',
  'nasal',
  'drops',
  'ophthalmic',
  'as',
  'needed',
  'prn',
  'every',
  'hours',
  'at',
  'bedtime',
  'puff',
  'puffs',
  'vial',
  'pack',
  'kit',
  'liquid',
  'syrup',
  'gel',
  'lotion',
  'eye',
  'otc',
  'generic',
  'brand',
  // Everyday words that NDF-RT also lists as ingredients: never a drug name on a medication list.
  'water',
  'pill',
  'pills',
  'my',
  'tea',
  'herbal',
  'medicine',
]);

function damerau(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Number.POSITIVE_INFINITY;
    const row = d[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(
        ((d[i - 1] as number[])[j] as number) + 1,
        (row[j - 1] as number) + 1,
        ((d[i - 1] as number[])[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The closest ingredient name within the allowed distance (unique best, else undefined). */
export function correctSpelling(word: string, kb: DrugKnowledge = drugKnowledge()): string | undefined {
  if (word.length < 4) return undefined;
  const max = word.length <= 6 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = max + 1;
  let tie = false;
  for (let len = word.length - max; len <= word.length + max; len++) {
    for (const name of kb.namesByLength.get(len) ?? []) {
      if (name.includes(' ')) continue;
      const d = damerau(word, name, max);
      if (d < bestDistance) {
        best = name;
        bestDistance = d;
        tie = false;
      } else if (d === bestDistance) tie = true;
    }
  }
  return best && !tie ? best : undefined;
}

/** Strength to mg when it is a mass (g, mcg), else as written. */
export function normalizeStrength(value: number, unit: string): { value: number; unit: string } {
  const u = unit.toLowerCase().replace('µg', 'mcg').replace('ug', 'mcg');
  if (u === 'g') return { value: value * 1000, unit: 'mg' };
  if (u === 'mcg') return { value: Math.round((value / 1000) * 1e6) / 1e6, unit: 'mg' };
  if (u === 'mg') return { value, unit: 'mg' };
  return { value, unit: u };
}

const STRENGTH =
  /(\d+(?:\.\d+)?)\s*(mg|g|mcg|µg|ug|meq|unt|units?|%)\b(?:\s*\/\s*(\d+(?:\.\d+)?)?\s*(ml|actuat\w*|hr)\b)?/i;

/** Several strengths for the ingredients of one combination, in their order: "20-12.5 mg", "20/12.5 MG". */
const STRENGTHS =
  /(\d+(?:\.\d+)?)(?:\s*(?:mg|mcg|g))?\s*[-/]\s*(\d+(?:\.\d+)?)(?:\s*[-/]\s*(\d+(?:\.\d+)?))?\s*(mg|mcg|g)\b/i;

/** A strength as written, with a per-millilitre one kept as a concentration. */
function strengthOf(m: RegExpExecArray): { value: number; unit: string } {
  const mass = normalizeStrength(Number(m[1]), m[2] as string);
  if (m[4]?.toLowerCase() !== 'ml') return mass;
  // "250 mg/5 mL" is 50 mg/mL.
  const volume = m[3] ? Number(m[3]) : 1;
  return { value: Math.round((mass.value / volume) * 1e6) / 1e6, unit: `${mass.unit}/ml` };
}

/** The base ingredient of a name that carries a salt ("metoprolol succinate" -> "metoprolol"). */
function baseOf(name: string, kb: DrugKnowledge): string {
  const words = name.split(' ');
  while (words.length > 1 && SALTS.has(words[words.length - 1] as string)) {
    words.pop();
    if (kb.rxcuiOf.has(words.join(' '))) return words.join(' ');
  }
  return name;
}

function ingredientsInSegment(
  segment: string,
  kb: DrugKnowledge,
): { names: string[]; by: MatchedBy; unmatched: string[] } {
  const words = segment
    .toLowerCase()
    .replace(/[^a-z\s-]/g, ' ')
    .split(/[\s-]+/)
    .filter(Boolean);
  const names: string[] = [];
  const unmatched: string[] = [];
  let by: MatchedBy = 'name';
  for (let i = 0; i < words.length; ) {
    let matched = false;
    // The longest run of words that names an ingredient ("calcium carbonate", "insulin glargine").
    for (let n = Math.min(3, words.length - i); n >= 1 && !matched; n--) {
      const phrase = words.slice(i, i + n).join(' ');
      if (kb.rxcuiOf.has(phrase) && !(n === 1 && (NOISE.has(phrase) || (SALTS.has(phrase) && names.length > 0)))) {
        names.push(baseOf(phrase, kb));
        i += n;
        matched = true;
      } else if (n === 1 && kb.brands.has(phrase)) {
        names.push(...(kb.brands.get(phrase) ?? []));
        by = 'brand';
        i += 1;
        matched = true;
      }
    }
    if (matched) continue;
    const word = words[i] as string;
    i++;
    if (NOISE.has(word) || SALTS.has(word) || word.length < 3) continue;
    const corrected = correctSpelling(word, kb);
    if (corrected) {
      names.push(baseOf(corrected, kb));
      by = by === 'brand' ? by : 'spelling';
    } else unmatched.push(word);
  }
  return { names: [...new Set(names)], by, unmatched };
}

export function resolveMedication(
  input: { text?: string | undefined; codings?: readonly { system?: string; code?: string; display?: string }[] },
  kb: DrugKnowledge = drugKnowledge(),
): ResolvedMedication {
  const text = input.text ?? input.codings?.find((c) => c.display)?.display ?? '';
  const lower = text.toLowerCase();
  const formEntry = FORMS.find(([re]) => re.test(lower));
  const release = /\b(extended|er|xl|xr|sr|cr|la|\d+\s*hr)\b/.test(lower)
    ? 'extended'
    : /\b(delayed|dr|ec|enteric)\b/.test(lower)
      ? 'delayed'
      : /\b(immediate|ir)\b/.test(lower) || RXNORM_CLINICAL_DRUG.test(text) || codesClinicalDrug(input.codings, kb)
        ? 'immediate'
        : 'unspecified';
  // An ingredient-level RxNorm code needs no parsing.
  const rxIngredient = input.codings
    ?.filter((c) => c.system === RXNORM && c.code)
    .map((c) => kb.nameOfRxcui.get(c.code as string))
    .find(Boolean);
  // A combination names each ingredient with its strength: "A 20 mg / B 12.5 mg", "A 20 mg/B 12.5 mg"
  // (a slash after a unit and before a name, never the one of "mg/mL"), "A + B", "A with B".
  const segments = text
    .split(/\s\/\s|(?<=\b(?:mg|mcg|g|units?)\b)\s*\/\s*(?=[a-z]{3,}(?<!ml)\b)(?!ml\b|actuat)|\s+\+\s+|\bwith\b|,/i)
    .filter((s) => s?.trim());
  const ingredients: ResolvedIngredient[] = [];
  const unmatchedWords: string[] = [];
  let matchedBy: MatchedBy = rxIngredient ? 'rxnorm' : 'name';
  for (const segment of segments.length ? segments : [text]) {
    const found = ingredientsInSegment(segment, kb);
    unmatchedWords.push(...found.unmatched);
    if (found.by !== 'name' && matchedBy === 'name') matchedBy = found.by;
    const m = STRENGTH.exec(segment);
    const strength = m ? strengthOf(m) : undefined;
    // One segment naming several ingredients ("lisinopril-hydrochlorothiazide 20-12.5 mg",
    // "Zestoretic 20-12.5 mg") gives each its strength in order, when there are as many.
    const several = found.names.length > 1 ? STRENGTHS.exec(segment) : null;
    const listed = several
      ? [several[1], several[2], several[3]]
          .filter((v): v is string => v !== undefined)
          .map((v) => normalizeStrength(Number(v), several[4] as string))
      : [];
    found.names.forEach((name, i) => {
      if (ingredients.some((x) => x.name === name)) return;
      const own = found.names.length === 1 ? strength : listed.length === found.names.length ? listed[i] : undefined;
      ingredients.push({ name, rxcui: kb.rxcuiOf.get(name), ...(own ? { strength: own } : {}) });
    });
  }
  if (rxIngredient && !ingredients.some((x) => x.name === rxIngredient))
    ingredients.unshift({ name: baseOf(rxIngredient, kb), rxcui: kb.rxcuiOf.get(rxIngredient) });
  return {
    text,
    ingredients,
    form: formEntry?.[1],
    release,
    route: formEntry?.[2] ?? (/\boral\b|by mouth/.test(lower) ? 'oral' : undefined),
    matchedBy: ingredients.length ? matchedBy : 'unmatched',
    unmatchedWords,
  };
}
