// The reconciliation: every medication across the patient's lists grouped by what it is (its set
// of ingredients), and a discrepancy, in plain words, for each thing a pharmacist would stop at:
// an omission, a new medication, a dose, frequency, route or form change, a duplicated ingredient,
// two drugs of one therapeutic class, a drug-drug interaction (severity from the knowledge base; the
// ONC high-priority pairs are always high), a drug-allergy conflict by ingredient or class, and an
// entry that could not be resolved. Pure: the lists, allergies and knowledge are passed in.
import type {
  AllergyIntolerance,
  MedicationDispense,
  MedicationRequest,
  MedicationStatement,
} from '@medplum/fhirtypes';
import { amountsDiffer, amountsPerDose, describeAmounts } from './dose-amount.js';
import { type DrugKnowledge, drugKnowledge, pairKey, type Severity } from './drug-knowledge.js';
import { type ReadDosage, readDosage } from './read-dosage.js';
import { routeFromText, routesDiffer } from './read-route.js';
import { type ResolvedMedication, resolveMedication } from './resolve-medication.js';
import { structuredMedication, structuredRoute } from './structured-medication.js';

export type ListSource = 'home' | 'patient' | 'inpatient' | 'discharge' | 'pharmacy';
export type MedicationResource = MedicationStatement | MedicationRequest | MedicationDispense;

export const SOURCE_WORDS: Readonly<Record<ListSource, string>> = {
  home: 'home list',
  patient: "patient's own list",
  inpatient: 'inpatient orders',
  discharge: 'discharge orders',
  pharmacy: 'pharmacy fills',
};

export interface MedicationEntry {
  readonly ref: string;
  readonly source: ListSource;
  readonly resource: MedicationResource;
}

export interface ReadEntry extends MedicationEntry {
  readonly resolved: ResolvedMedication;
  readonly dosage: ReadDosage;
  readonly stopped: boolean;
  /** A reason or note written with the order or statement: the change was documented. */
  readonly documented: boolean;
}

/** `hold`: pause for a while (until a date or an event, with the reason), then take again. */
export type Action = 'continue' | 'modify' | 'stop' | 'new' | 'hold';

export interface ReconItem {
  /** Sorted ingredient names joined by '+', or `unmatched:<text>`. */
  readonly key: string;
  readonly display: string;
  readonly entries: readonly ReadEntry[];
  /** What the lists propose, before anyone decides. */
  readonly proposed: Action;
}

export type DiscrepancyKind =
  | 'omission'
  | 'new-medication'
  | 'dose-change'
  | 'frequency-change'
  | 'route-form-change'
  | 'duplication'
  | 'therapeutic-duplication'
  | 'drug-interaction'
  | 'drug-allergy'
  | 'unmatched';

export interface Discrepancy {
  /** Stable within one reconciliation: kind and the items involved. */
  readonly key: string;
  readonly kind: DiscrepancyKind;
  readonly severity: Severity;
  readonly items: readonly string[];
  /** The list entries (and allergies) that caused it. */
  readonly implicated: readonly string[];
  readonly text: string;
  /** Whether the change was documented where it was made (a reason with the order). */
  readonly documented: boolean;
  readonly source?: string;
}

export interface Reconciliation {
  readonly items: readonly ReconItem[];
  readonly discrepancies: readonly Discrepancy[];
}

function dosagesOf(r: MedicationResource) {
  return r.resourceType === 'MedicationStatement' ? r.dosage : r.dosageInstruction;
}

function isStopped(r: MedicationResource): boolean {
  return ['stopped', 'cancelled', 'completed', 'entered-in-error', 'not-taken', 'declined'].includes(r.status);
}

function isDocumented(r: MedicationResource): boolean {
  const withReason = r as { reasonCode?: unknown[]; statusReason?: unknown; note?: unknown[] };
  return Boolean(withReason.reasonCode?.length || withReason.statusReason || withReason.note?.length);
}

/**
 * An entry read structure first: the medication's coding and a contained Medication's form and
 * ingredients, the dosage's route, doseAndRate and timing (read-dosage.ts); the words fill only
 * what the structure lacks.
 */
export function readEntry(entry: MedicationEntry, kb: DrugKnowledge = drugKnowledge()): ReadEntry {
  const structured = structuredMedication(entry.resource, kb);
  const fromWords = resolveMedication({ text: structured.text, codings: structured.codings }, kb);
  const dosages = dosagesOf(entry.resource);
  const dosage = readDosage(dosages);
  const resolved: ResolvedMedication = {
    ...fromWords,
    ...(structured.ingredients ? { ingredients: structured.ingredients, matchedBy: 'rxnorm' as const } : {}),
    form: structured.form ?? fromWords.form,
    route: structuredRoute(dosages) ?? routeFromText(dosage.text) ?? fromWords.route,
  };
  return {
    ...entry,
    resolved,
    dosage,
    stopped: isStopped(entry.resource),
    documented: isDocumented(entry.resource),
  };
}

const itemKey = (e: ReadEntry): string =>
  e.resolved.ingredients.length
    ? e.resolved.ingredients
        .map((i) => i.name)
        .sort()
        .join('+')
    : `unmatched:${e.resolved.text.toLowerCase().trim()}`;

const BEFORE: readonly ListSource[] = ['home', 'patient', 'pharmacy'];
const CHANGE_KINDS: readonly DiscrepancyKind[] = ['dose-change', 'frequency-change', 'route-form-change'];

const quote = (e: ReadEntry) => `"${e.resolved.text || 'unnamed'}" (${SOURCE_WORDS[e.source]})`;

/** The product's stated strengths: "20 mg", or each ingredient's by name for a combination (any order). */
const strengthWords = (e: ReadEntry): string => {
  const stated = e.resolved.ingredients.filter((i) => i.strength);
  if (stated.length === 1 && e.resolved.ingredients.length === 1)
    return `${stated[0]?.strength?.value} ${stated[0]?.strength?.unit}`;
  return stated
    .map((i) => `${i.name} ${i.strength?.value} ${i.strength?.unit}`)
    .sort()
    .join(' + ');
};

/**
 * A dose change, compared as a pharmacist does: the amount of each ingredient in one dose
 * (dose-amount.ts: a concentration times the volume, a strength times the tablets). Where one side
 * does not say enough, the stated strengths of the products, then the stated doses, never a
 * concentration against a dose.
 */
function compareDoses(b: ReadEntry, a: ReadEntry): { before: string; after: string } | undefined {
  const amountB = amountsPerDose(b.resolved.ingredients, b.dosage.dose);
  const amountA = amountsPerDose(a.resolved.ingredients, a.dosage.dose);
  if (amountB && amountA)
    return amountsDiffer(amountB, amountA)
      ? { before: describeAmounts(amountB), after: describeAmounts(amountA) }
      : undefined;
  const concentration = [b, a].some((e) => e.resolved.ingredients.some((i) => i.strength?.unit.endsWith('/ml')));
  const sb = concentration ? '' : strengthWords(b);
  const sa = concentration ? '' : strengthWords(a);
  if (sb && sa && sb !== sa) return { before: sb, after: sa };
  const doseB = b.dosage.dose ? `${b.dosage.dose.value} ${b.dosage.dose.unit}` : '';
  const doseA = a.dosage.dose ? `${a.dosage.dose.value} ${a.dosage.dose.unit}` : '';
  if (doseB && doseA && doseB !== doseA && (!sb || !sa || sb === sa)) return { before: doseB, after: doseA };
  return undefined;
}

function formWords(e: ReadEntry): string {
  return [
    e.resolved.release === 'unspecified' ? '' : `${e.resolved.release}-release`,
    e.resolved.form,
    e.resolved.route && e.resolved.route !== e.resolved.form ? `(${e.resolved.route})` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { high: 3, moderate: 2, low: 1 };

/** Allergy words that name a class or ingredient ("Allergy to penicillin" -> the penicillins). */
function allergyTargets(
  allergy: AllergyIntolerance,
  kb: DrugKnowledge,
): { ingredients: Set<string>; classes: Set<string> } {
  const texts = [allergy.code?.text, ...(allergy.code?.coding ?? []).map((c) => c.display)].filter((t): t is string =>
    Boolean(t),
  );
  const ingredients = new Set<string>();
  const classes = new Set<string>();
  for (const c of allergy.code?.coding ?? []) {
    const name = c.code ? kb.nameOfRxcui.get(c.code) : undefined;
    if (name) ingredients.add(name);
  }
  for (const text of texts) {
    const words = text
      .toLowerCase()
      .replace(/[^a-z\s-]/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
    for (let n = 3; n >= 1; n--)
      for (let i = 0; i + n <= words.length; i++) {
        const phrase = words.slice(i, i + n).join(' ');
        if (kb.classMembers.has(phrase)) classes.add(phrase);
        if (kb.rxcuiOf.has(phrase) && !['allergy', 'to', 'drug'].includes(phrase)) ingredients.add(phrase);
        for (const b of kb.brands.get(phrase) ?? []) ingredients.add(b);
      }
  }
  return { ingredients, classes };
}

export function reconcileMedications(
  input: { entries: readonly MedicationEntry[]; allergies: readonly AllergyIntolerance[] },
  kb: DrugKnowledge = drugKnowledge(),
): Reconciliation {
  const read = input.entries.map((e) => readEntry(e, kb));
  const hasAfter = read.some((e) => e.source === 'discharge');
  const afterSource: ListSource | undefined = hasAfter
    ? 'discharge'
    : read.some((e) => e.source === 'inpatient')
      ? 'inpatient'
      : undefined;
  const groups = new Map<string, ReadEntry[]>();
  for (const e of read) groups.set(itemKey(e), [...(groups.get(itemKey(e)) ?? []), e]);

  const discrepancies: Discrepancy[] = [];
  const add = (d: Discrepancy) => {
    if (!discrepancies.some((x) => x.key === d.key)) discrepancies.push(d);
  };
  const items: ReconItem[] = [];

  for (const [key, entries] of groups) {
    const before = entries.filter((e) => BEFORE.includes(e.source));
    const after = afterSource ? entries.filter((e) => e.source === afterSource) : [];
    const display = (after[0] ?? entries[0])?.resolved.text ?? key;
    const stoppedAfter = after.length > 0 && after.every((e) => e.stopped);
    let proposed: Action = 'continue';
    if (afterSource) {
      if (before.length && !after.length) proposed = 'stop';
      else if (!before.length && after.length) proposed = stoppedAfter ? 'stop' : 'new';
      else if (stoppedAfter) proposed = 'stop';
    }
    if (key.startsWith('unmatched:')) {
      const e = entries[0] as ReadEntry;
      add({
        key: `unmatched:${key}`,
        kind: 'unmatched',
        severity: 'moderate',
        items: [key],
        implicated: entries.map((x) => x.ref),
        text: `${quote(e)} could not be matched to a known medication: unmatched — review it with the patient.`,
        documented: false,
      });
    }
    if (afterSource && before.length && !after.length) {
      const documentedStop = before.some((e) => e.stopped && e.documented);
      if (!documentedStop)
        add({
          key: `omission:${key}`,
          kind: 'omission',
          severity: 'moderate',
          items: [key],
          implicated: before.map((e) => e.ref),
          text: `${quote(before[0] as ReadEntry)} is not in the ${SOURCE_WORDS[afterSource]}, and no reason to stop it is recorded.`,
          documented: false,
        });
    }
    if (afterSource && !before.length && after.length && !stoppedAfter) {
      const e = after[0] as ReadEntry;
      add({
        key: `new:${key}`,
        kind: 'new-medication',
        severity: 'low',
        items: [key],
        implicated: after.map((x) => x.ref),
        text: `${quote(e)} is new: it is not on the home list.`,
        documented: e.documented,
      });
    }
    if (afterSource && before.length && after.length && !stoppedAfter) {
      const b = before[0] as ReadEntry;
      const a = after[0] as ReadEntry;
      const doseChange = compareDoses(b, a);
      if (doseChange)
        add({
          key: `dose:${key}`,
          kind: 'dose-change',
          severity: 'moderate',
          items: [key],
          implicated: [b.ref, a.ref],
          text: `${a.resolved.text}: the dose changes from ${doseChange.before} (${SOURCE_WORDS[b.source]}) to ${doseChange.after} (${SOURCE_WORDS[a.source]}).`,
          documented: a.documented,
        });
      const fb = b.dosage.timesPerDay;
      const fa = a.dosage.timesPerDay;
      if (fb !== undefined && fa !== undefined && fb !== fa)
        add({
          key: `frequency:${key}`,
          kind: 'frequency-change',
          severity: 'moderate',
          items: [key],
          implicated: [b.ref, a.ref],
          text: `${a.resolved.text}: how often changes from ${b.dosage.text || `${fb} a day`} (${SOURCE_WORDS[b.source]}) to ${a.dosage.text || `${fa} a day`} (${SOURCE_WORDS[a.source]}).`,
          documented: a.documented,
        });
      const routeChanged = routesDiffer(b.resolved.route, a.resolved.route);
      const formChanged =
        (b.resolved.form && a.resolved.form && b.resolved.form !== a.resolved.form) ||
        // Only a stated difference: "omeprazole 20 mg daily" says nothing against a delayed-release capsule.
        (b.resolved.release !== 'unspecified' &&
          a.resolved.release !== 'unspecified' &&
          b.resolved.release !== a.resolved.release);
      if (routeChanged || formChanged)
        add({
          key: `route-form:${key}`,
          kind: 'route-form-change',
          severity: 'moderate',
          items: [key],
          implicated: [b.ref, a.ref],
          text: routeChanged
            ? `${a.resolved.text}: the route changes from ${b.resolved.route} (${SOURCE_WORDS[b.source]}) to ${a.resolved.route} (${SOURCE_WORDS[a.source]}).`
            : `${a.resolved.text}: the form changes from ${formWords(b)} (${SOURCE_WORDS[b.source]}) to ${formWords(a)} (${SOURCE_WORDS[a.source]}).`,
          documented: a.documented,
        });
    }
    // The same drug twice in one list (two entries of one item in the same list).
    for (const source of new Set(entries.filter((e) => !e.stopped).map((e) => e.source))) {
      const same = entries.filter((e) => e.source === source && !e.stopped);
      if (same.length > 1 && !key.startsWith('unmatched:'))
        add({
          key: `duplication:${key}:${source}`,
          kind: 'duplication',
          severity: 'high',
          items: [key],
          implicated: same.map((e) => e.ref),
          text: `${same.map(quote).join(' and ')} are the same medicine listed twice.`,
          documented: false,
        });
    }
    // Both lists hold it but the orders changed it: the lists propose the change.
    if (proposed === 'continue' && discrepancies.some((d) => d.items.includes(key) && CHANGE_KINDS.includes(d.kind)))
      proposed = 'modify';
    items.push({ key, display, entries, proposed });
  }

  // What the patient may end up taking: every item not proposed to stop.
  const active = items.filter((i) => i.proposed !== 'stop' && !i.key.startsWith('unmatched:'));
  const ingredientsOf = (i: ReconItem) => i.key.split('+');
  const live = (i: ReconItem) =>
    i.entries.find((e) => !e.stopped && (e.source === afterSource || !afterSource)) ??
    (i.entries.find((e) => !e.stopped) as ReadEntry);
  for (let x = 0; x < active.length; x++) {
    for (let y = x + 1; y < active.length; y++) {
      const a = active[x] as ReconItem;
      const b = active[y] as ReconItem;
      const ia = ingredientsOf(a);
      const ib = ingredientsOf(b);
      const shared = ia.filter((n) => ib.includes(n));
      const pair = [a.key, b.key].sort();
      const refs = [live(a)?.ref, live(b)?.ref].filter((r): r is string => Boolean(r));
      const named = `${quote(live(a) as ReadEntry)} and ${quote(live(b) as ReadEntry)}`;
      if (shared.length) {
        add({
          key: `duplication:${pair.join('|')}`,
          kind: 'duplication',
          severity: 'high',
          items: pair,
          implicated: refs,
          text: `${named} both contain ${shared.join(' and ')}: the same ingredient twice.`,
          documented: false,
        });
        continue;
      }
      const classes = new Set<string>();
      for (const na of ia)
        for (const ca of kb.classesOf.get(na) ?? [])
          if (
            ca.kind === 'therapeutic' &&
            ib.some((nb) => (kb.classesOf.get(nb) ?? []).some((cb) => cb.name === ca.name))
          )
            classes.add(ca.name);
      if (classes.size)
        add({
          key: `therapeutic-duplication:${pair.join('|')}`,
          kind: 'therapeutic-duplication',
          severity: 'moderate',
          items: pair,
          implicated: refs,
          text: `${named} are both ${[...classes][0]}: two drugs of one class.`,
          documented: false,
        });
      let worst: { severity: Severity; description: string; source: string; drugs: string } | undefined;
      for (const na of ia)
        for (const nb of ib) {
          const hit = kb.interactions.get(pairKey(na, nb));
          if (hit && (!worst || SEVERITY_RANK[hit.severity] > SEVERITY_RANK[worst.severity]))
            worst = { ...hit, drugs: [na, nb].sort().join(' with ') };
        }
      if (worst)
        add({
          key: `interaction:${pair.join('|')}`,
          kind: 'drug-interaction',
          severity: worst.severity,
          items: pair,
          implicated: refs,
          text: `${named} interact (${worst.drugs}, ${worst.severity} severity): ${worst.description}.`,
          documented: false,
          source: kb.sources[worst.source] ?? worst.source,
        });
    }
  }

  for (const allergy of input.allergies) {
    if (allergy.clinicalStatus?.coding?.some((c) => c.code === 'inactive' || c.code === 'resolved')) continue;
    const targets = allergyTargets(allergy, kb);
    const allergyText = allergy.code?.text ?? allergy.code?.coding?.[0]?.display ?? 'an allergy';
    for (const item of active) {
      const hits = ingredientsOf(item).filter(
        (n) =>
          targets.ingredients.has(n) || [...targets.classes].some((c) => (kb.classMembers.get(c) ?? []).includes(n)),
      );
      if (!hits.length) continue;
      const e = live(item) as ReadEntry;
      add({
        key: `allergy:${item.key}:${allergy.id ?? allergyText}`,
        kind: 'drug-allergy',
        severity: 'high',
        items: [item.key],
        implicated: [e.ref, ...(allergy.id ? [`AllergyIntolerance/${allergy.id}`] : [])],
        text: `${quote(e)} contains ${hits.join(' and ')}, and the patient has "${allergyText}".`,
        documented: false,
      });
    }
  }
  const order: DiscrepancyKind[] = [
    'drug-allergy',
    'drug-interaction',
    'duplication',
    'omission',
    'dose-change',
    'frequency-change',
    'route-form-change',
    'therapeutic-duplication',
    'new-medication',
    'unmatched',
  ];
  discrepancies.sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || order.indexOf(a.kind) - order.indexOf(b.kind),
  );
  return { items: items.sort((a, b) => a.display.localeCompare(b.display)), discrepancies };
}
