// The referral loop closure measure, per destination: of the referrals sent (fulfilment Tasks past
// draft), how many were closed with an outcome (completed), the closure rate, and the median days
// from sending (Task.authoredOn) to closing (the version that completed it). Rejected, failed and
// cancelled referrals count as sent and not closed: the loop did not close for that patient. Pure.
import type { Task } from '@medplum/fhirtypes';
import { OPEN_REFERRAL_STATES } from './referral-workflow.js';

export interface ReferralOutcome {
  readonly task: Task;
  /** When the Task became completed, if it did. */
  readonly completedAt?: string;
}

export interface DestinationMeasure {
  readonly destination: string;
  readonly display: string;
  readonly sent: number;
  readonly closed: number;
  readonly open: number;
  /** closed / sent, 0..1. */
  readonly closureRate: number;
  /** Median days from sent to closed, of the closed ones (undefined when none closed). */
  readonly medianDaysToClose: number | undefined;
}

const DAY = 86_400_000;

/** When a Task became completed: the first of its versions (any order) with that status. */
export function completedAtOf(versions: readonly Task[]): string | undefined {
  return versions
    .filter((v) => v.status === 'completed' && v.meta?.lastUpdated)
    .map((v) => new Date(v.meta?.lastUpdated as string).toISOString())
    .sort()[0];
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function measureReferralLoops(outcomes: readonly ReferralOutcome[]): DestinationMeasure[] {
  const groups = new Map<string, { display: string; items: ReferralOutcome[] }>();
  for (const o of outcomes) {
    if (o.task.status === 'draft') continue;
    const key = o.task.owner?.reference ?? o.task.owner?.display ?? 'unassigned';
    const group = groups.get(key) ?? { display: o.task.owner?.display ?? key, items: [] };
    group.items.push(o);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .map(([destination, { display, items }]) => {
      const closed = items.filter((o) => o.task.status === 'completed');
      const days = closed
        .filter((o) => o.completedAt && o.task.authoredOn)
        .map(
          (o) =>
            Math.round(((Date.parse(o.completedAt as string) - Date.parse(o.task.authoredOn as string)) / DAY) * 10) /
            10,
        );
      return {
        destination,
        display,
        sent: items.length,
        closed: closed.length,
        open: items.filter((o) => OPEN_REFERRAL_STATES.includes(o.task.status)).length,
        closureRate: items.length ? closed.length / items.length : 0,
        medianDaysToClose: median(days),
      };
    })
    .sort((a, b) => a.display.localeCompare(b.display));
}
