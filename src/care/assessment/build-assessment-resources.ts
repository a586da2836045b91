// What a scored response becomes, as FHIR resources (HL7 SDOH Clinical Care pattern: response ->
// Observations derivedFrom it -> health concerns with the Observation as evidence), plus, for a
// safety finding, a stat Task for the care coordinator and a Flag on the patient's record. Pure:
// time, the patient's existing concerns and the coordinator are passed in.
import type {
  CodeableConcept,
  Condition,
  Flag,
  Observation,
  ObservationComponent,
  Patient,
  Practitioner,
  PractitionerRole,
  QuestionnaireResponse,
  Reference,
  RelatedPerson,
  Task,
} from '@medplum/fhirtypes';
import type { ConcernDefinition } from './assessment-content.js';
import { type AssessmentResult, type Finding, INTERPRETATION, positiveInterpretation } from './assessment-result.js';

export const CONCERN_SYSTEM = 'http://careloop.org/fhir/CodeSystem/health-concern';
const SDOH_CATEGORY = 'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

export interface BuildContext {
  readonly response: QuestionnaireResponse & { id: string };
  readonly patient: Reference<Patient>;
  /** ISO instant of the scoring. */
  readonly now: string;
  /** Today in the clinic (YYYY-MM-DD). */
  readonly today: string;
}

export interface BuiltObservation {
  /** 'total' or the finding's key. */
  readonly key: string;
  readonly concern: string | undefined;
  readonly positive: boolean;
  readonly safety: boolean;
  readonly resource: Observation;
}

function findingValue(value: Finding['value']): Partial<Observation> {
  if (value === undefined) return {};
  if (typeof value === 'number') return { valueInteger: value };
  return { valueCodeableConcept: value as CodeableConcept };
}

/** The band (if any), then positive or negative (if the instrument has a cut-off): both are read back by $needs. */
function totalInterpretation(t: NonNullable<AssessmentResult['total']>): CodeableConcept[] {
  const out: CodeableConcept[] = [];
  if (t.band) out.push({ coding: [t.band], text: t.band.display });
  if (t.positive !== undefined && t.band?.system !== INTERPRETATION)
    out.push({ coding: [positiveInterpretation(t.positive)] });
  return out;
}

export function buildObservations(result: AssessmentResult, ctx: BuildContext): BuiltObservation[] {
  const common = {
    resourceType: 'Observation' as const,
    status: 'final' as const,
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }] }],
    subject: ctx.patient,
    effectiveDateTime: ctx.response.authored ?? ctx.now,
    issued: ctx.now,
    derivedFrom: [{ reference: `QuestionnaireResponse/${ctx.response.id}` }],
  };
  const built: BuiltObservation[] = [];
  if (result.total) {
    const t = result.total;
    built.push({
      key: 'total',
      concern: t.concern,
      positive: t.positive ?? false,
      safety: false,
      resource: {
        ...common,
        code: { coding: [t.code], text: t.code.display },
        valueInteger: t.value,
        interpretation: totalInterpretation(t),
      },
    });
  }
  for (const f of result.findings) {
    const components: ObservationComponent[] = (f.components ?? []).map((c) => ({
      code: { coding: [c], text: c.display },
      valueBoolean: true,
    }));
    built.push({
      key: f.key,
      concern: f.concern,
      positive: f.positive,
      safety: f.safety ?? false,
      resource: {
        ...common,
        code: { coding: [f.code], text: f.code.display },
        ...findingValue(f.value),
        interpretation: [{ coding: [positiveInterpretation(f.positive)] }],
        ...(components.length ? { component: components } : {}),
        ...(f.note ? { note: [{ text: f.note }] } : {}),
      },
    });
  }
  return built;
}

/** The concerns positive results raise, one per concern key, skipping those already active. */
export function buildConcerns(
  observations: readonly (BuiltObservation & { id: string })[],
  definitions: Readonly<Record<string, ConcernDefinition>>,
  activeConcerns: ReadonlySet<string>,
  ctx: BuildContext,
): Condition[] {
  const evidence = new Map<string, string[]>();
  for (const o of observations)
    if (o.positive && o.concern) evidence.set(o.concern, [...(evidence.get(o.concern) ?? []), o.id]);
  const conditions: Condition[] = [];
  for (const [key, ids] of evidence) {
    const def = definitions[key];
    if (!def || activeConcerns.has(key)) continue;
    conditions.push({
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      // A screening result, not a diagnosis: the care team confirms or refutes it.
      verificationStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'unconfirmed' }],
      },
      category: [
        {
          coding: [
            {
              system: 'http://hl7.org/fhir/us/core/CodeSystem/condition-category',
              code: 'health-concern',
              display: 'Health Concern',
            },
          ],
        },
        ...(def.sdohCategory ? [{ coding: [{ system: SDOH_CATEGORY, code: def.sdohCategory }] }] : []),
      ],
      code: { coding: [{ system: CONCERN_SYSTEM, code: key, display: def.display }, ...def.codes], text: def.display },
      subject: ctx.patient,
      recordedDate: ctx.now,
      evidence: [{ detail: ids.map((id) => ({ reference: `Observation/${id}` })) }],
    });
  }
  return conditions;
}

/** For a positive safety finding: a stat Task for the coordinator, due today, and a Flag on the record. */
export function buildSafetyFollowUp(
  observation: BuiltObservation & { id: string },
  coordinator: Reference<Practitioner | PractitionerRole | Patient | RelatedPerson> | undefined,
  ctx: BuildContext,
): { task: Task; flag: Flag } {
  const { today } = ctx;
  return {
    task: {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      priority: 'stat',
      code: {
        coding: [
          {
            system: 'http://careloop.org/fhir/CodeSystem/task-type',
            code: 'safety-assessment',
            display: 'Safety assessment',
          },
        ],
      },
      description: 'Same-day safety assessment: thoughts of self-harm reported on the PHQ-9 (item 9)',
      for: ctx.patient,
      focus: { reference: `QuestionnaireResponse/${ctx.response.id}` },
      reasonReference: { reference: `Observation/${observation.id}` },
      authoredOn: ctx.now,
      restriction: { period: { end: today } },
      ...(coordinator ? { owner: coordinator } : {}),
    },
    flag: {
      resourceType: 'Flag',
      status: 'active',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/flag-category',
              code: 'behavioral',
              display: 'Behavioral',
            },
          ],
        },
      ],
      code: { text: 'Thoughts of self-harm reported (PHQ-9 item 9): safety assessment due today' },
      subject: ctx.patient,
      period: { start: ctx.now },
    },
  };
}
