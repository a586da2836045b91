// How long a referral may wait in each state before the coordinator follows up, by priority
// (content/referrals/referral-timeliness.json, which names its source), and which referrals have
// waited longer. Pure apart from reading the shipped table once.
import { readFileSync } from 'node:fs';
import type { Task } from '@medplum/fhirtypes';

export type Timeliness = Readonly<Record<string, Readonly<Record<string, number>>>>;

let table: Timeliness | undefined;

export function referralTimeliness(): Timeliness {
  table ??= (
    JSON.parse(
      readFileSync(new URL('../../../content/referrals/referral-timeliness.json', import.meta.url), 'utf8'),
    ) as { days: Timeliness }
  ).days;
  return table;
}

const DAY = 86_400_000;

/** When the Task entered its current status: the first of the latest run of versions with it. */
export function statusSince(versions: readonly Task[]): string | undefined {
  const newestFirst = [...versions].sort((a, b) =>
    (b.meta?.lastUpdated ?? '').localeCompare(a.meta?.lastUpdated ?? ''),
  );
  const status = newestFirst[0]?.status;
  let since: string | undefined;
  for (const v of newestFirst) {
    if (v.status !== status) break;
    since = v.meta?.lastUpdated;
  }
  return since;
}

export interface LateReferral {
  readonly task: Task;
  readonly state: string;
  readonly since: string;
  readonly expectedDays: number;
  readonly daysWaiting: number;
}

/** Whether a referral Task has waited in its state longer than its priority allows (else undefined). */
export function lateReferral(
  task: Task,
  since: string,
  now: number,
  timeliness: Timeliness = referralTimeliness(),
): LateReferral | undefined {
  const expectedDays = timeliness[task.priority ?? 'routine']?.[task.status];
  if (expectedDays === undefined) return undefined;
  const daysWaiting = Math.floor((now - Date.parse(since)) / DAY);
  return daysWaiting > expectedDays ? { task, state: task.status, since, expectedDays, daysWaiting } : undefined;
}

const STATE_WORDS: Readonly<Record<string, string>> = {
  requested: 'not yet received by',
  received: 'not yet accepted or declined by',
  accepted: 'accepted but not yet scheduled by',
  'in-progress': 'under way, with no outcome yet from',
  'on-hold': 'on hold at',
};

/** The follow-up task's description, in a coordinator's words. */
export function describeLateReferral(late: LateReferral): string {
  const who = late.task.owner?.display ?? late.task.owner?.reference ?? 'the receiving organization';
  const what = late.task.description ?? 'Referral';
  return `${what}: ${STATE_WORDS[late.state] ?? late.state} ${who} after ${late.daysWaiting} days (expected within ${late.expectedDays}). Follow up.`;
}
