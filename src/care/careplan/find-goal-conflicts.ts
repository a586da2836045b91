// Contributions that contradict: two active goals of one patient on the same measure with different
// targets (a cardiologist's blood pressure below 130/80 and a geriatrician's below 150/90). The
// coordinator is asked to resolve them; neither goal is changed. Pure.
import type { Goal } from '@medplum/fhirtypes';

const ACTIVE: readonly string[] = ['proposed', 'planned', 'accepted', 'active', 'on-hold'];

const measureKeys = (g: Goal): string[] =>
  (g.target ?? []).flatMap((t) => (t.measure?.coding ?? []).map((c) => `${c.system ?? ''}|${c.code ?? ''}`));

function targetOf(g: Goal, key: string): string {
  const t = (g.target ?? []).find((x) =>
    (x.measure?.coding ?? []).some((c) => `${c.system ?? ''}|${c.code ?? ''}` === key),
  );
  const { measure: _m, dueDate: _d, dueDuration: _dd, ...detail } = t ?? {};
  return JSON.stringify(detail);
}

export function findGoalConflicts(goal: Goal, others: readonly Goal[]): Goal[] {
  if (!ACTIVE.includes(goal.lifecycleStatus)) return [];
  const keys = measureKeys(goal);
  return others.filter(
    (o) =>
      o.id !== goal.id &&
      ACTIVE.includes(o.lifecycleStatus) &&
      keys.some((k) => measureKeys(o).includes(k) && targetOf(o, k) !== targetOf(goal, k)),
  );
}
