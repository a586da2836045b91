// The shared plan through the FHIR API: the patient's active CarePlan, its goals and activities
// (Tasks), and the history of who changed what.
import type { Bundle, CarePlan, Goal, Parameters, Task } from '@medplum/fhirtypes';
import {
  createResource,
  entriesOf,
  getFhir,
  searchEvery,
  searchResources,
  updateResource,
} from '../api/fhir-client.js';
import { part } from '../api/parameters.js';
import { todayIso } from '../format/fhir-text.js';

export interface PlanView {
  readonly plan: CarePlan | undefined;
  readonly goals: Goal[];
  readonly activities: Task[];
}

export async function loadPlan(patientId: string): Promise<PlanView> {
  const [plans, goals] = await Promise.all([
    searchResources('CarePlan', {
      patient: `Patient/${patientId}`,
      status: 'active',
      _count: 1,
      _include: 'CarePlan:activity-reference',
    }),
    searchEvery('Goal', { patient: `Patient/${patientId}` }),
  ]);
  const all = entriesOf<Goal>(goals, 'Goal').filter(
    (g) => !['cancelled', 'entered-in-error', 'rejected'].includes(g.lifecycleStatus),
  );
  return {
    plan: entriesOf<CarePlan>(plans, 'CarePlan')[0],
    goals: all,
    activities: entriesOf<Task>(plans as Bundle, 'Task'),
  };
}

export async function startPlan(patientId: string, author: string | undefined): Promise<CarePlan> {
  return createResource<CarePlan>({
    resourceType: 'CarePlan',
    status: 'active',
    intent: 'plan',
    title: 'Care plan',
    category: [
      { coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category', code: 'assess-plan' }] },
    ],
    subject: { reference: `Patient/${patientId}` },
    created: new Date().toISOString(),
    period: { start: todayIso() },
    ...(author ? { author: { reference: author } } : {}),
  });
}

/** A new goal, linked into the plan when there is one. */
export async function addGoal(
  patientId: string,
  plan: CarePlan | undefined,
  text: string,
  due: string | undefined,
  author: string | undefined,
): Promise<Goal> {
  const goal = await createResource<Goal>({
    resourceType: 'Goal',
    lifecycleStatus: 'active',
    description: { text },
    subject: { reference: `Patient/${patientId}` },
    startDate: todayIso(),
    ...(due ? { target: [{ dueDate: due }] } : {}),
    ...(author ? { expressedBy: { reference: author } } : {}),
  });
  if (plan)
    await updateResource<CarePlan>({
      ...plan,
      goal: [...(plan.goal ?? []), { reference: `Goal/${goal.id}`, display: text }],
    });
  return goal;
}

export const ACHIEVEMENT = [
  { value: 'in-progress', label: 'In progress' },
  { value: 'improving', label: 'Improving' },
  { value: 'worsening', label: 'Worsening' },
  { value: 'no-change', label: 'No change' },
  { value: 'achieved', label: 'Achieved' },
  { value: 'not-achieved', label: 'Not achieved' },
] as const;

export async function recordProgress(goal: Goal, code: string): Promise<Goal> {
  const label = ACHIEVEMENT.find((a) => a.value === code)?.label ?? code;
  return updateResource<Goal>({
    ...goal,
    achievementStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code, display: label }],
      text: label,
    },
    ...(code === 'achieved' ? { lifecycleStatus: 'completed' } : {}),
    statusDate: todayIso(),
  });
}

export interface HistoryLine {
  readonly when: string;
  readonly who: string;
  readonly role: string | undefined;
  readonly text: string;
}

export async function loadHistory(planId: string): Promise<HistoryLine[]> {
  return readPlanHistory(await getFhir<Parameters>(`CarePlan/${encodeURIComponent(planId)}/$care-plan-history`));
}

/** CarePlan/$care-plan-history's answer: one line per change. */
export function readPlanHistory(params: Parameters): HistoryLine[] {
  return (params.parameter ?? []).map((p) => {
    const get = (n: string) => part(p, n);
    return {
      when: get('when')?.valueDateTime ?? '',
      who: get('who')?.valueString ?? '',
      role: get('role')?.valueString,
      text: get('text')?.valueString ?? '',
    };
  });
}
