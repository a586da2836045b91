// The route of administration, from a structured Dosage.route first (SNOMED CT route codes, as FHIR's
// example value set http://hl7.org/fhir/ValueSet/route-codes uses them) and from words only where the
// structure says nothing ("IV", "by mouth", "subcut"). "Injection" (a parenteral product whose route
// the name does not state) is compatible with intravenous, intramuscular and subcutaneous. Pure.
import type { CodeableConcept } from '@medplum/fhirtypes';

export type Route =
  | 'oral'
  | 'sublingual'
  | 'intravenous'
  | 'intramuscular'
  | 'subcutaneous'
  | 'injection'
  | 'inhalation'
  | 'transdermal'
  | 'topical'
  | 'ophthalmic'
  | 'nasal'
  | 'rectal';

/** SNOMED CT route of administration concepts (descendants of 284009009). */
const SNOMED_ROUTES: Readonly<Record<string, Route>> = {
  '26643006': 'oral',
  '37839007': 'sublingual',
  '47625008': 'intravenous',
  '78421000': 'intramuscular',
  '34206005': 'subcutaneous',
  '447694001': 'inhalation', // respiratory tract route
  '18679011000001101': 'inhalation',
  '45890007': 'transdermal',
  '6064005': 'topical',
  '54485002': 'ophthalmic',
  '46713006': 'nasal',
  '37161004': 'rectal',
};

const WORDS: readonly [RegExp, Route][] = [
  [/\b(iv|ivp|ivpb|intravenous(ly)?)\b/, 'intravenous'],
  [/\b(im|intramuscular(ly)?)\b/, 'intramuscular'],
  [/\b(sc|sq|subq|subcut|subcutaneous(ly)?)\b/, 'subcutaneous'],
  [/\b(sl|sublingual(ly)?|under the tongue)\b/, 'sublingual'],
  [/\b(po|oral(ly)?|by mouth)\b/, 'oral'],
  [/\b(inhal\w*|nebuli[sz]\w*|puffs?)\b/, 'inhalation'],
  [/\b(transdermal|patch)\b/, 'transdermal'],
  [/\b(pr|rectal(ly)?|suppositor\w*)\b/, 'rectal'],
  [/\b(ophthalmic|eye drops?|in (the|each|both) eyes?)\b/, 'ophthalmic'],
  [/\b(nasal(ly)?|intranasal|in each nostril)\b/, 'nasal'],
  [/\b(topical(ly)?|to the skin)\b/, 'topical'],
];

export function routeFromText(text: string | undefined): Route | undefined {
  const t = (text ?? '').toLowerCase();
  return WORDS.find(([re]) => re.test(t))?.[1];
}

export function routeFromConcept(concept: CodeableConcept | undefined): Route | undefined {
  for (const c of concept?.coding ?? []) {
    const route = c.code ? SNOMED_ROUTES[c.code] : undefined;
    if (route) return route;
  }
  return routeFromText(concept?.text ?? concept?.coding?.find((c) => c.display)?.display);
}

const PARENTERAL = new Set<string>(['intravenous', 'intramuscular', 'subcutaneous', 'injection']);

/** Whether two stated routes differ (an unstated one differs from nothing). */
export function routesDiffer(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || a === b) return false;
  if ((a === 'injection' && PARENTERAL.has(b)) || (b === 'injection' && PARENTERAL.has(a))) return false;
  return true;
}
