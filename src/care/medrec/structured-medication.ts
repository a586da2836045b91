// What the structured FHIR fields of a list entry say, which take precedence over its words: the
// medication's coding and, for a Medication (contained, `medicationReference: #id`), its form and
// ingredients with their strengths (Ratio: per tablet, or per mL — a concentration); the dosage's
// route. Text fills only what the structure lacks (reconcile-medications.ts). Pure.
import type { CodeableConcept, Medication, Ratio, Reference } from '@medplum/fhirtypes';
import { type DrugKnowledge, drugKnowledge } from './drug-knowledge.js';
import { type Route, routeFromConcept } from './read-route.js';
import { normalizeStrength, type ResolvedIngredient, resolveMedication } from './resolve-medication.js';

interface WithMedication {
  readonly medicationCodeableConcept?: CodeableConcept;
  readonly medicationReference?: Reference;
  readonly contained?: readonly { resourceType: string; id?: string }[];
}

export interface StructuredMedication {
  readonly text: string | undefined;
  readonly codings: CodeableConcept['coding'];
  readonly form: string | undefined;
  readonly ingredients: readonly ResolvedIngredient[] | undefined;
}

/** Dose forms by the words of a Medication.form (SNOMED CT or EDQM display, or text). */
const FORMS: readonly [RegExp, string][] = [
  [/tablet/i, 'tablet'],
  [/capsule/i, 'capsule'],
  [/inhal|aerosol/i, 'inhaler'],
  [/inject|infusion|parenteral/i, 'injection'],
  [/patch|transdermal/i, 'patch'],
  [/solution|suspension|syrup|liquid|elixir/i, 'liquid'],
];

function containedMedication(r: WithMedication): Medication | undefined {
  const ref = r.medicationReference?.reference;
  if (!ref?.startsWith('#')) return undefined;
  return r.contained?.find((c): c is Medication => c.resourceType === 'Medication' && c.id === ref.slice(1));
}

/** A strength Ratio as Careloop compares it: mg per unit, or mg/ml for a concentration. */
function strengthOfRatio(ratio: Ratio | undefined): { value: number; unit: string } | undefined {
  const n = ratio?.numerator;
  if (n?.value === undefined) return undefined;
  const mass = normalizeStrength(n.value, n.unit ?? n.code ?? '');
  const d = ratio?.denominator;
  const per = (d?.unit ?? d?.code ?? '').toLowerCase();
  if (per === 'ml') return { value: Math.round((mass.value / (d?.value ?? 1)) * 1e6) / 1e6, unit: `${mass.unit}/ml` };
  return { value: Math.round((mass.value / (d?.value ?? 1)) * 1e6) / 1e6, unit: mass.unit };
}

export function structuredMedication(r: WithMedication, kb: DrugKnowledge = drugKnowledge()): StructuredMedication {
  const medication = containedMedication(r);
  const concept = medication?.code ?? r.medicationCodeableConcept;
  const text = concept?.text ?? concept?.coding?.find((c) => c.display)?.display ?? r.medicationReference?.display;
  const formWords = medication?.form?.text ?? medication?.form?.coding?.find((c) => c.display)?.display ?? '';
  const form = FORMS.find(([re]) => re.test(formWords))?.[1];
  const ingredients = (medication?.ingredient ?? []).flatMap((i): ResolvedIngredient[] => {
    const item = i.itemCodeableConcept;
    if (!item) return [];
    const found = resolveMedication({ text: item.text, codings: item.coding ?? [] }, kb).ingredients[0];
    if (!found) return [];
    const strength = strengthOfRatio(i.strength);
    return [{ name: found.name, rxcui: found.rxcui, ...(strength ? { strength } : {}) }];
  });
  return { text, codings: concept?.coding ?? [], form, ingredients: ingredients.length ? ingredients : undefined };
}

/** The route a dosage states in its structure (Dosage.route), if any. */
export function structuredRoute(dosages: readonly { route?: CodeableConcept }[] | undefined): Route | undefined {
  return routeFromConcept(dosages?.[0]?.route);
}
