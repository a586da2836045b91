// The shipped instruments and their tables, read once from content/: the Questionnaires, what each
// concern proposes, and the re-screening intervals. Data, not code: each file names its sources.
import { readdirSync, readFileSync } from 'node:fs';
import type { Coding, Questionnaire } from '@medplum/fhirtypes';

const CONTENT = new URL('../../../content/', import.meta.url);

export type Domain = 'medical' | 'behavioral' | 'social' | 'functional';

export interface ConcernDefinition {
  readonly domain: Domain;
  readonly display: string;
  readonly sdohCategory?: string;
  readonly codes: readonly Coding[];
  readonly goals: readonly string[];
  readonly interventions: readonly { kind: 'referral' | 'assessment' | 'education'; text: string }[];
}

export interface RescreenInterval {
  readonly positive: number;
  readonly negative: number;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, CONTENT), 'utf8')) as T;
}

let questionnaires: Questionnaire[] | undefined;

/** The instruments Careloop ships (content/questionnaires), loaded into every database at start. */
export function shippedQuestionnaires(): readonly Questionnaire[] {
  questionnaires ??= readdirSync(new URL('questionnaires/', CONTENT))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readJson<Questionnaire>(`questionnaires/${f}`));
  return questionnaires;
}

let concerns: Readonly<Record<string, ConcernDefinition>> | undefined;

export function concernDefinitions(): Readonly<Record<string, ConcernDefinition>> {
  concerns ??= readJson<{ concerns: Record<string, ConcernDefinition> }>('assessment/concerns.json').concerns;
  return concerns;
}

let intervals: Readonly<Record<string, RescreenInterval>> | undefined;

export function rescreenIntervals(): Readonly<Record<string, RescreenInterval>> {
  intervals ??= readJson<{ intervals: Record<string, RescreenInterval> }>(
    'assessment/rescreen-intervals.json',
  ).intervals;
  return intervals;
}
