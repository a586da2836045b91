// The reconciliation and the schedule as the screens show them, read from the server's Parameters
// (Patient/$reconcile-medications, List/$reconciliation, List/$record-decision, $medication-schedule).
import type { Parameters, ParametersParameter } from '@medplum/fhirtypes';
import { named, part, parts } from '../api/parameters.js';

export interface RecEntry {
  readonly ref: string;
  readonly source: string;
  readonly text: string;
  readonly dosage: string;
  readonly status: string;
  readonly matchedBy: string;
}

export interface RecDecision {
  readonly action: string;
  readonly reason: string;
  readonly dose?: string;
  /** For a hold: until when. */
  readonly until?: string;
  readonly author: string;
  readonly date: string;
}

export interface RecItem {
  readonly key: string;
  readonly display: string;
  readonly proposed: string;
  readonly entries: readonly RecEntry[];
  readonly decision: RecDecision | undefined;
}

export interface RecDiscrepancy {
  readonly kind: string;
  readonly severity: string;
  readonly text: string;
  readonly items: readonly string[];
  readonly classification: string | undefined;
}

export interface RecView {
  readonly list: string;
  readonly status: 'in-progress' | 'completed';
  /** Once completed: when, and by whom ("Name (role)"). */
  readonly completedAt?: string;
  readonly completedBy?: string;
  readonly items: readonly RecItem[];
  readonly discrepancies: readonly RecDiscrepancy[];
}

export const SOURCE_NAMES: Readonly<Record<string, string>> = {
  home: 'Home list',
  patient: 'Patient’s list',
  inpatient: 'Inpatient orders',
  discharge: 'Discharge orders',
  pharmacy: 'Pharmacy fills',
};

export const KIND_NAMES: Readonly<Record<string, string>> = {
  omission: 'Omission',
  'new-medication': 'New',
  'dose-change': 'Dose change',
  'frequency-change': 'Frequency change',
  'route-form-change': 'Route or form change',
  duplication: 'Duplication',
  'therapeutic-duplication': 'Therapeutic duplication',
  'drug-interaction': 'Interaction',
  'drug-allergy': 'Allergy',
  unmatched: 'Unmatched — review',
};

export function readReconciliation(body: Parameters): RecView {
  return {
    list: named(body, 'reconciliation')[0]?.valueReference?.reference ?? '',
    status: named(body, 'status')[0]?.valueCode === 'completed' ? 'completed' : 'in-progress',
    ...(named(body, 'completedAt')[0]?.valueDateTime
      ? { completedAt: named(body, 'completedAt')[0]?.valueDateTime as string }
      : {}),
    ...(named(body, 'completedBy')[0]?.valueString
      ? { completedBy: named(body, 'completedBy')[0]?.valueString as string }
      : {}),
    items: named(body, 'item').map((p) => {
      const d = part(p, 'decision');
      return {
        key: part(p, 'key')?.valueString ?? '',
        display: part(p, 'display')?.valueString ?? '',
        proposed: part(p, 'proposed')?.valueCode ?? 'continue',
        entries: parts(p, 'entry').map((e) => ({
          ref: part(e, 'reference')?.valueReference?.reference ?? '',
          source: part(e, 'source')?.valueCode ?? '',
          text: part(e, 'reference')?.valueReference?.display ?? '',
          dosage: part(e, 'dosage')?.valueString ?? '',
          status: part(e, 'status')?.valueCode ?? '',
          matchedBy: part(e, 'matchedBy')?.valueCode ?? '',
        })),
        decision: d
          ? {
              action: part(d, 'action')?.valueCode ?? '',
              reason: part(d, 'reason')?.valueString ?? '',
              ...(part(d, 'dose')?.valueString ? { dose: part(d, 'dose')?.valueString as string } : {}),
              ...(part(d, 'until')?.valueString ? { until: part(d, 'until')?.valueString as string } : {}),
              author: part(d, 'author')?.valueString ?? '',
              date: part(d, 'date')?.valueDateTime ?? '',
            }
          : undefined,
      };
    }),
    discrepancies: named(body, 'discrepancy').map((p) => ({
      kind: part(p, 'kind')?.valueCode ?? '',
      severity: part(p, 'severity')?.valueCode ?? '',
      text: part(p, 'text')?.valueString ?? '',
      items: parts(p, 'item').map((x) => x.valueString ?? ''),
      classification: part(p, 'classification')?.valueCode,
    })),
  };
}

/** The sources shown as columns, in a reader's order, among those the reconciliation holds. */
export function sourcesOf(view: RecView): string[] {
  const present = new Set(view.items.flatMap((i) => i.entries.map((e) => e.source)));
  return Object.keys(SOURCE_NAMES).filter((s) => present.has(s));
}

/** High-severity discrepancies with a medication nobody has decided on yet. */
export function blocking(view: RecView): RecDiscrepancy[] {
  const decided = new Set(view.items.filter((i) => i.decision).map((i) => i.key));
  return view.discrepancies.filter((d) => d.severity === 'high' && d.items.some((i) => !decided.has(i)));
}

export interface ScheduleLine {
  readonly name: string;
  readonly purpose?: string;
  readonly how?: string;
  readonly when: string;
  readonly note?: string;
}
export interface ScheduleView {
  readonly title: string;
  readonly language: string;
  readonly sections: readonly { key: string; title: string; lines: readonly ScheduleLine[] }[];
}

export function readSchedule(body: Parameters): ScheduleView {
  const str = (p: ParametersParameter | undefined, name: string) => part(p, name)?.valueString;
  return {
    title: named(body, 'title')[0]?.valueString ?? '',
    language: named(body, 'language')[0]?.valueCode ?? 'en',
    sections: named(body, 'section').map((s) => ({
      key: part(s, 'key')?.valueCode ?? '',
      title: str(s, 'title') ?? '',
      lines: parts(s, 'line').map((l) => ({
        name: str(l, 'name') ?? '',
        ...(str(l, 'purpose') ? { purpose: str(l, 'purpose') as string } : {}),
        ...(str(l, 'how') ? { how: str(l, 'how') as string } : {}),
        when: str(l, 'when') ?? '',
        ...(str(l, 'note') ? { note: str(l, 'note') as string } : {}),
      })),
    })),
  };
}
