// A patient's needs across the four domains of the comprehensive assessment (medical, behavioral,
// social, functional): the latest result of each instrument and when it is next due (the intervals
// in content/assessment/rescreen-intervals.json), the open concerns, and what Careloop proposes for
// each concern no goal addresses yet. Pure: the records and today's date are passed in.
import type { Condition, Goal, Observation, Parameters, ParametersParameter, ServiceRequest } from '@medplum/fhirtypes';
import { addMonths } from '../calendar/calendar-days.js';
import { concernDefinitions, type Domain, rescreenIntervals, shippedQuestionnaires } from './assessment-content.js';
import { INTERPRETATION, RESULT_SYSTEM } from './assessment-result.js';
import { CONCERN_SYSTEM } from './build-assessment-resources.js';

/** The Observation code of each instrument's total (what "the latest result" is). */
export const TOTAL_CODES: Readonly<Record<string, { system: string; code: string }>> = {
  'phq-9': { system: 'http://loinc.org', code: '44261-6' },
  'phq-2': { system: 'http://loinc.org', code: '55758-7' },
  'gad-7': { system: 'http://loinc.org', code: '70274-6' },
  // The screen's overall result (score-hrsn.ts), not its interpersonal-safety part (HITS, 95614-4).
  'ahc-hrsn': { system: RESULT_SYSTEM, code: 'ahc-hrsn-result' },
  'katz-adl': { system: RESULT_SYSTEM, code: 'katz-adl-total' },
  'lawton-iadl': { system: RESULT_SYSTEM, code: 'lawton-iadl-total' },
};

const INSTRUMENT_DOMAIN: Readonly<Record<string, Domain>> = {
  'phq-9': 'behavioral',
  'phq-2': 'behavioral',
  'gad-7': 'behavioral',
  'ahc-hrsn': 'social',
  'katz-adl': 'functional',
  'lawton-iadl': 'functional',
};

const DOMAINS: readonly Domain[] = ['medical', 'behavioral', 'social', 'functional'];

export interface NeedsInput {
  /** Observations of the instruments' totals (any order, any age). */
  readonly totals: readonly Observation[];
  /** The patient's active Conditions (health concerns and problems). */
  readonly conditions: readonly Condition[];
  readonly goals: readonly Goal[];
  /** The patient's service requests (an accepted intervention is one, with the concern as its reason). */
  readonly requests: readonly ServiceRequest[];
  /** Today, YYYY-MM-DD. */
  readonly today: string;
  /** The clinic's day of an instant (the clinic clock's `dateOf`). */
  readonly dateOf: (instant: string) => string;
}

/** Whether a total was positive: the POS/NEG interpretation Careloop writes beside the band. */
function isPositive(o: Observation): boolean {
  return (o.interpretation ?? []).some((i) => i.coding?.some((c) => c.system === INTERPRETATION && c.code === 'POS'));
}

function concernDomain(c: Condition): Domain | undefined {
  const key = c.code?.coding?.find((x) => x.system === CONCERN_SYSTEM)?.code;
  if (key) return concernDefinitions()[key]?.domain;
  const problem = c.category?.some((cat) => cat.coding?.some((x) => x.code === 'problem-list-item'));
  return problem ? 'medical' : undefined;
}

const proposal = (kind: string, text: string): ParametersParameter => ({
  name: 'proposal',
  part: [
    { name: 'kind', valueCode: kind },
    { name: 'text', valueString: text },
  ],
});

export function buildNeedsProfile(input: NeedsInput): Parameters {
  const intervals = rescreenIntervals();
  // A proposal stays on offer until it is in the plan: a Goal addressing the concern with the same
  // words, or a ServiceRequest for it with the concern as its reason.
  const accepted = new Set([
    ...input.goals.flatMap((g) => (g.addresses ?? []).map((a) => `${a.reference}|goal|${g.description.text}`)),
    ...input.requests.flatMap((r) =>
      (r.reasonReference ?? []).map((a) => `${a.reference}|intervention|${r.code?.text}`),
    ),
  ]);
  const domains: ParametersParameter[] = DOMAINS.map((domain) => {
    const part: ParametersParameter[] = [{ name: 'code', valueCode: domain }];
    for (const [slug, code] of Object.entries(TOTAL_CODES)) {
      if (INSTRUMENT_DOMAIN[slug] !== domain) continue;
      const questionnaire = shippedQuestionnaires().find((q) => q.id === slug);
      const latest = input.totals
        .filter((o) => o.code.coding?.some((c) => c.system === code.system && c.code === code.code))
        .sort((a, b) => (b.effectiveDateTime ?? '').localeCompare(a.effectiveDateTime ?? ''))[0];
      const positive = latest ? isPositive(latest) : false;
      const interval = intervals[slug];
      const due =
        latest?.effectiveDateTime && interval
          ? addMonths(input.dateOf(latest.effectiveDateTime), positive ? interval.positive : interval.negative)
          : input.today;
      part.push({
        name: 'instrument',
        part: [
          { name: 'questionnaire', valueCanonical: questionnaire?.url ?? slug },
          { name: 'title', valueString: questionnaire?.title ?? slug },
          ...(latest
            ? [
                { name: 'result', valueReference: { reference: `Observation/${latest.id}` } },
                ...(latest.valueInteger !== undefined ? [{ name: 'score', valueInteger: latest.valueInteger }] : []),
                ...(latest.interpretation?.[0]?.coding?.[0]
                  ? [{ name: 'band', valueCoding: latest.interpretation[0].coding[0] }]
                  : []),
                { name: 'date', valueDateTime: latest.effectiveDateTime ?? '' },
                { name: 'positive', valueBoolean: positive },
              ]
            : []),
          { name: 'due', valueDate: due },
          { name: 'overdue', valueBoolean: latest !== undefined && due < input.today },
        ],
      });
    }
    for (const c of input.conditions) {
      if (concernDomain(c) !== domain) continue;
      const key = c.code?.coding?.find((x) => x.system === CONCERN_SYSTEM)?.code;
      const def = key ? concernDefinitions()[key] : undefined;
      const ref = `Condition/${c.id}`;
      part.push({
        name: 'concern',
        part: [
          { name: 'condition', valueReference: { reference: ref } },
          { name: 'text', valueString: c.code?.text ?? c.code?.coding?.[0]?.display ?? 'Concern' },
          ...(def
            ? [
                ...def.goals
                  .filter((text) => !accepted.has(`${ref}|goal|${text}`))
                  .map((text) => proposal('goal', text)),
                ...def.interventions
                  .filter((i) => !accepted.has(`${ref}|intervention|${i.text}`))
                  .map((i) => proposal(i.kind, i.text)),
              ]
            : []),
        ],
      });
    }
    return { name: 'domain', part };
  });
  return { resourceType: 'Parameters', parameter: domains };
}
