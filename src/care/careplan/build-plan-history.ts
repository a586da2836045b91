// "Who changed what and when" for a patient's care plan and its goals: each version compared with
// the one before it, in words, with the author from its Provenance. Newest first. Pure.
import type { CarePlan, Goal, Provenance } from '@medplum/fhirtypes';
import { describeCarePlanChange, describeGoalChange } from './describe-plan-change.js';

export interface VersionOf<T> {
  readonly id: string;
  readonly versionId: number;
  /** Epoch ms. */
  readonly lastUpdated: number;
  /** undefined for a deletion. */
  readonly resource: T | undefined;
}

export interface PlanHistoryLine {
  readonly when: string;
  readonly who: string;
  readonly role: string | undefined;
  readonly text: string;
  readonly target: string;
}

function authorOf(provenances: readonly Provenance[], target: string): { who: string; role: string | undefined } {
  const p = provenances.find((x) => x.target.some((t) => t.reference === target));
  const agent = p?.agent.find((a) => a.type?.coding?.some((c) => c.code === 'author')) ?? p?.agent[0];
  return {
    who: agent?.who?.display ?? agent?.who?.reference ?? 'Someone (not recorded)',
    role: agent?.role?.[0]?.text,
  };
}

function linesFor<T>(
  type: string,
  versions: readonly VersionOf<T>[],
  describe: (previous: T | undefined, next: T | undefined) => string[],
  provenances: readonly Provenance[],
): PlanHistoryLine[] {
  const sorted = [...versions].sort((a, b) => a.versionId - b.versionId);
  return sorted.flatMap((v, i) => {
    const target = `${type}/${v.id}/_history/${v.versionId}`;
    const author = authorOf(provenances, target);
    return describe(sorted[i - 1]?.resource, v.resource).map((text) => ({
      when: new Date(v.lastUpdated).toISOString(),
      ...author,
      text,
      target,
    }));
  });
}

export function buildPlanHistory(
  plan: readonly VersionOf<CarePlan>[],
  goals: readonly (readonly VersionOf<Goal>[])[],
  provenances: readonly Provenance[],
): PlanHistoryLine[] {
  return [
    ...linesFor('CarePlan', plan, describeCarePlanChange, provenances),
    ...goals.flatMap((g) => linesFor('Goal', g, describeGoalChange, provenances)),
  ].sort((a, b) => b.when.localeCompare(a.when));
}
