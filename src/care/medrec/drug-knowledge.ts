// Careloop's drug knowledge base, read once from content/drug-knowledge (built from the public ONC,
// NDF-RT and WorldVista files by scripts/build-drug-knowledge.mjs, plus curated brands, classes and
// purposes; each fact names its source), with the indexes the reconciliation needs.
import { readFileSync } from 'node:fs';

export type Severity = 'high' | 'moderate' | 'low';

export interface Interaction {
  readonly severity: Severity;
  readonly description: string;
  readonly source: string;
}

export interface DrugClass {
  readonly name: string;
  readonly kind: 'therapeutic' | 'effect';
  readonly source: string;
}

export interface DrugKnowledge {
  readonly sources: Readonly<Record<string, string>>;
  /** Ingredient name (lower case) to RxNorm CUI. */
  readonly rxcuiOf: ReadonlyMap<string, string>;
  readonly nameOfRxcui: ReadonlyMap<string, string>;
  /** Ingredient names by length, for spelling correction. */
  readonly namesByLength: ReadonlyMap<number, readonly string[]>;
  readonly brands: ReadonlyMap<string, readonly string[]>;
  readonly classesOf: ReadonlyMap<string, readonly DrugClass[]>;
  /** Class name (lower case, also without a trailing s) to its members. */
  readonly classMembers: ReadonlyMap<string, readonly string[]>;
  readonly interactions: ReadonlyMap<string, Interaction>;
  readonly purposes: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

const CONTENT = new URL('../../../content/drug-knowledge/', import.meta.url);
const readJson = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, CONTENT), 'utf8')) as T;

export const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

let knowledge: DrugKnowledge | undefined;

export function drugKnowledge(): DrugKnowledge {
  if (knowledge) return knowledge;
  const built = readJson<{
    sources: Record<string, string>;
    ingredients: [string, string][];
    classes: Record<string, { source: string; kind: 'therapeutic' | 'effect'; members: string[] }>;
    interactions: [string, string, Severity, string, string][];
  }>('knowledge.json');
  const brands = readJson<{ source: string; brands: Record<string, string[]> }>('curated/brands.json');
  const abbreviations = readJson<{ source: string; abbreviations: Record<string, string[]> }>(
    'curated/abbreviations.json',
  );
  const purposes = readJson<{ source: string; purposes: Record<string, Record<string, string>> }>(
    'curated/purposes.json',
  );
  const rxcuiOf = new Map(built.ingredients);
  const namesByLength = new Map<number, string[]>();
  for (const [name] of built.ingredients) {
    const list = namesByLength.get(name.length) ?? [];
    list.push(name);
    namesByLength.set(name.length, list);
  }
  const classesOf = new Map<string, DrugClass[]>();
  const classMembers = new Map<string, string[]>();
  for (const [name, c] of Object.entries(built.classes)) {
    for (const m of c.members)
      classesOf.set(m, [...(classesOf.get(m) ?? []), { name, kind: c.kind, source: c.source }]);
    const key = name.toLowerCase();
    classMembers.set(key, c.members);
    if (key.endsWith('s')) classMembers.set(key.slice(0, -1), c.members);
  }
  knowledge = {
    sources: {
      ...built.sources,
      brands: brands.source,
      abbreviations: abbreviations.source,
      purposes: purposes.source,
    },
    rxcuiOf,
    nameOfRxcui: new Map(built.ingredients.map(([n, r]) => [r, n])),
    namesByLength,
    // Abbreviations read like brand names: a word that stands for its ingredients.
    brands: new Map([...Object.entries(brands.brands), ...Object.entries(abbreviations.abbreviations)]),
    classesOf,
    classMembers,
    interactions: new Map(
      built.interactions.map(([a, b, severity, description, source]) => [
        pairKey(a, b),
        { severity, description, source },
      ]),
    ),
    purposes: new Map(Object.entries(purposes.purposes)),
  };
  return knowledge;
}
