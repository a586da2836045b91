// Medication reconciliation's answers as FHIR Parameters: the side-by-side view with decisions,
// discrepancies and who completed it, and the patient's schedule. The web app decodes these in
// web/src/medrec/medrec-view.ts.
import type { DetectedIssue, List, Parameters, ParametersParameter } from '@medplum/fhirtypes';
import type { MedicationSchedule } from '../../care/medrec/medication-schedule.js';
import { classifyDiscrepancy, type Decision } from '../../care/medrec/medrec-decisions.js';
import { MEDREC_COMPLETED_BY_URL } from '../../care/medrec/medrec-resources.js';
import type { Reconciliation } from '../../care/medrec/reconcile-medications.js';
import {
  optionalCode,
  optionalDateTime,
  optionalReference,
  optionalString,
} from '../../fhir/parameters/optional-parameter.js';

const completedByOf = (list: List): string[] =>
  (list.extension ?? [])
    .filter((x) => x.url === MEDREC_COMPLETED_BY_URL)
    .map((x) => x.valueReference?.display ?? '')
    .filter(Boolean);

export function reconciliationParameters(
  list: List,
  recon: Reconciliation,
  issues: readonly DetectedIssue[],
  decisions: ReadonlyMap<string, Decision>,
): Parameters {
  const byKey = new Map(issues.map((i) => [i.identifier?.[0]?.value ?? '', i]));
  const parameter: ParametersParameter[] = [
    { name: 'reconciliation', valueReference: { reference: `List/${list.id}` } },
    { name: 'status', valueCode: list.mode === 'snapshot' ? 'completed' : 'in-progress' },
    ...(list.mode === 'snapshot'
      ? [
          ...optionalDateTime('completedAt', list.date),
          ...completedByOf(list).map((display) => ({ name: 'completedBy', valueString: display })),
        ]
      : []),
    ...recon.items.map((item) => {
      const decision = decisions.get(item.key);
      return {
        name: 'item',
        part: [
          { name: 'key', valueString: item.key },
          { name: 'display', valueString: item.display },
          { name: 'proposed', valueCode: item.proposed },
          ...item.entries.map((e) => ({
            name: 'entry',
            part: [
              { name: 'source', valueCode: e.source },
              { name: 'reference', valueReference: { reference: e.ref, display: e.resolved.text } },
              { name: 'dosage', valueString: e.dosage.text },
              { name: 'status', valueCode: e.resource.status },
              { name: 'matchedBy', valueCode: e.resolved.matchedBy },
            ],
          })),
          ...(decision
            ? [
                {
                  name: 'decision',
                  part: [
                    { name: 'action', valueCode: decision.action },
                    { name: 'reason', valueString: decision.reason },
                    ...optionalString('dose', decision.dose),
                    ...optionalString('until', decision.until),
                    { name: 'author', valueString: decision.author.display },
                    { name: 'date', valueDateTime: decision.at },
                  ],
                },
              ]
            : []),
        ],
      } satisfies ParametersParameter;
    }),
    ...recon.discrepancies.map((d) => {
      const issue = byKey.get(d.key);
      const classification = classifyDiscrepancy(d, decisions);
      return {
        name: 'discrepancy',
        part: [
          { name: 'kind', valueCode: d.kind },
          { name: 'severity', valueCode: d.severity },
          { name: 'text', valueString: d.text },
          ...d.items.map((i) => ({ name: 'item', valueString: i })),
          ...optionalReference('issue', issue?.id ? { reference: `DetectedIssue/${issue.id}` } : undefined),
          ...optionalCode('classification', classification),
        ],
      } satisfies ParametersParameter;
    }),
  ];
  return { resourceType: 'Parameters', parameter };
}

export function scheduleParameters(schedule: MedicationSchedule): ParametersParameter[] {
  return [
    { name: 'language', valueCode: schedule.language },
    { name: 'title', valueString: schedule.title },
    ...schedule.sections.map((s) => ({
      name: 'section',
      part: [
        { name: 'key', valueCode: s.key },
        { name: 'title', valueString: s.title },
        ...s.lines.map((l) => ({
          name: 'line',
          part: [
            { name: 'name', valueString: l.name },
            ...optionalString('purpose', l.purpose),
            ...optionalString('how', l.how),
            { name: 'when', valueString: l.when },
            ...optionalString('note', l.note),
          ],
        })),
      ],
    })),
  ];
}
