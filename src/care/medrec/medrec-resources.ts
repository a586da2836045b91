// The reconciliation as FHIR resources other systems can read: a List (code
// medication-reconciliation; mode working while in progress, snapshot once complete) naming every
// source entry it compared, one entry per medication with the lists' proposal (entry.flag) and the
// decision taken (extension: action, reason, author, date); a DetectedIssue per discrepancy
// (preliminary, then final with its classification as mitigation); and at completion the
// reconciled MedicationStatements. Pure: ids, time and author are passed in.
import type { DetectedIssue, Extension, List, ListEntry, MedicationStatement } from '@medplum/fhirtypes';
import type { Classification, Decision } from './medrec-decisions.js';
import type { Action, Discrepancy, ListSource, ReconItem } from './reconcile-medications.js';

const SD = 'http://careloop.org/fhir/StructureDefinition';
export const MEDREC_ENTRY_URL = `${SD}/medrec-entry`;
export const MEDREC_ITEM_URL = `${SD}/medrec-item`;
export const MEDREC_DECISION_URL = `${SD}/medrec-decision`;
export const MEDREC_DISCREPANCY_URL = `${SD}/medrec-discrepancy`;
export const MEDREC_COMPLETED_BY_URL = `${SD}/medrec-completed-by`;
export const LIST_KIND_SYSTEM = 'http://careloop.org/fhir/CodeSystem/list-kind';
export const ACTION_SYSTEM = 'http://careloop.org/fhir/CodeSystem/medrec-action';
export const DISCREPANCY_SYSTEM = 'http://careloop.org/fhir/CodeSystem/medrec-discrepancy';
export const CLASSIFICATION_SYSTEM = 'http://careloop.org/fhir/CodeSystem/medrec-classification';

export const RECONCILIATION_CODE = {
  coding: [{ system: LIST_KIND_SYSTEM, code: 'medication-reconciliation', display: 'Medication reconciliation' }],
  text: 'Medication reconciliation',
};

const CLASSIFICATION_WORDS: Readonly<Record<Classification, string>> = {
  'intentional-documented': 'Intentional, documented',
  'intentional-undocumented': 'Intentional, not documented (clarified)',
  unintentional: 'Unintentional (corrected)',
};

const sub = (url: string, value: Extension): Extension => ({ ...value, url });

export function reconciliationList(input: {
  patient: string;
  items: readonly ReconItem[];
  issueRefs: readonly string[];
  at: string;
  source?: string | undefined;
}): List {
  const sources = input.items.flatMap((i) => i.entries);
  return {
    resourceType: 'List',
    status: 'current',
    mode: 'working',
    title: 'Medication reconciliation',
    code: RECONCILIATION_CODE,
    subject: { reference: `Patient/${input.patient}` },
    date: input.at,
    ...(input.source ? { source: { reference: input.source } } : {}),
    extension: [
      ...sources.map((e) => ({
        url: MEDREC_ENTRY_URL,
        extension: [
          sub('source', { url: '', valueCode: e.source }),
          sub('medication', {
            url: '',
            valueReference: {
              reference: e.resource.meta?.versionId ? `${e.ref}/_history/${e.resource.meta.versionId}` : e.ref,
            },
          }),
        ],
      })),
      ...input.issueRefs.map((reference) => ({ url: MEDREC_DISCREPANCY_URL, valueReference: { reference } })),
    ],
    entry: input.items.map(
      (i): ListEntry => ({
        item: {
          reference: (i.entries.find((e) => e.source === 'discharge') ?? i.entries[0])?.ref ?? '',
          display: i.display,
        },
        flag: { coding: [{ system: ACTION_SYSTEM, code: i.proposed }], text: `proposed: ${i.proposed}` },
        extension: [{ url: MEDREC_ITEM_URL, valueString: i.key }],
      }),
    ),
  };
}

/** The source entries a reconciliation List compared. */
export function listSources(list: List): { source: ListSource; ref: string; version: string | undefined }[] {
  return (list.extension ?? [])
    .filter((e) => e.url === MEDREC_ENTRY_URL)
    .map((e) => {
      const [type, id, , version] = (
        e.extension?.find((x) => x.url === 'medication')?.valueReference?.reference ?? ''
      ).split('/');
      return {
        source: e.extension?.find((x) => x.url === 'source')?.valueCode as ListSource,
        ref: type && id ? `${type}/${id}` : '',
        version,
      };
    })
    .filter((s) => s.ref);
}

export function listIssueRefs(list: List): string[] {
  return (list.extension ?? [])
    .filter((e) => e.url === MEDREC_DISCREPANCY_URL)
    .map((e) => e.valueReference?.reference ?? '')
    .filter(Boolean);
}

const itemOf = (entry: ListEntry) => entry.extension?.find((e) => e.url === MEDREC_ITEM_URL)?.valueString;

export function listDecisions(list: List): Map<string, Decision> {
  const out = new Map<string, Decision>();
  for (const entry of list.entry ?? []) {
    const key = itemOf(entry);
    const ext = entry.extension?.find((e) => e.url === MEDREC_DECISION_URL);
    if (!key || !ext) continue;
    const part = (name: string) => ext.extension?.find((x) => x.url === name);
    const dose = part('dose')?.valueString;
    const until = part('until')?.valueString;
    out.set(key, {
      item: key,
      action: part('action')?.valueCode as Action,
      reason: part('reason')?.valueString ?? '',
      ...(dose ? { dose } : {}),
      ...(until ? { until } : {}),
      author: {
        ...(part('author')?.valueReference?.reference ? { reference: part('author')?.valueReference?.reference } : {}),
        display: part('author')?.valueReference?.display ?? '',
      },
      at: part('date')?.valueDateTime ?? '',
    });
  }
  return out;
}

/** The List with one medication's decision recorded (replacing an earlier one); undefined when no such item. */
export function withDecision(list: List, decision: Decision): List | undefined {
  let found = false;
  const entry = (list.entry ?? []).map((e) => {
    if (itemOf(e) !== decision.item) return e;
    found = true;
    return {
      ...e,
      flag: { coding: [{ system: ACTION_SYSTEM, code: decision.action }], text: decision.action },
      extension: [
        ...(e.extension ?? []).filter((x) => x.url !== MEDREC_DECISION_URL),
        {
          url: MEDREC_DECISION_URL,
          extension: [
            { url: 'action', valueCode: decision.action },
            { url: 'reason', valueString: decision.reason },
            ...(decision.dose ? [{ url: 'dose', valueString: decision.dose }] : []),
            ...(decision.until ? [{ url: 'until', valueString: decision.until }] : []),
            {
              url: 'author',
              valueReference: {
                ...(decision.author.reference ? { reference: decision.author.reference } : {}),
                display: decision.author.display,
              },
            },
            { url: 'date', valueDateTime: decision.at },
          ],
        },
      ],
    };
  });
  return found ? { ...list, entry } : undefined;
}

export function detectedIssueFor(d: Discrepancy, patient: string, at: string): DetectedIssue {
  return {
    resourceType: 'DetectedIssue',
    identifier: [{ system: DISCREPANCY_SYSTEM, value: d.key }],
    status: 'preliminary',
    code: {
      coding: [
        { system: DISCREPANCY_SYSTEM, code: d.kind },
        ...(d.kind === 'drug-interaction'
          ? [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
                code: 'DRG',
                display: 'Drug Interaction Alert',
              },
            ]
          : d.kind === 'duplication' || d.kind === 'therapeutic-duplication'
            ? [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
                  code: 'DUPTHPY',
                  display: 'Duplicate Therapy Alert',
                },
              ]
            : d.kind === 'drug-allergy'
              ? [
                  {
                    system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
                    code: 'DACT',
                    display: 'drug action detected issue',
                  },
                ]
              : []),
      ],
      text: d.kind.replace(/-/g, ' '),
    },
    severity: d.severity,
    patient: { reference: `Patient/${patient}` },
    identifiedDateTime: at,
    implicated: d.implicated.map((reference) => ({ reference })),
    detail: d.source ? `${d.text} Source: ${d.source}` : d.text,
  };
}

export function finalizedIssue(
  issue: DetectedIssue,
  classification: Classification | undefined,
  decision: Decision | undefined,
): DetectedIssue {
  return {
    ...issue,
    status: 'final',
    ...(classification
      ? {
          mitigation: [
            {
              action: {
                coding: [{ system: CLASSIFICATION_SYSTEM, code: classification }],
                text: CLASSIFICATION_WORDS[classification],
              },
              ...(decision?.at ? { date: decision.at } : {}),
              ...(decision?.author.reference ? { author: { reference: decision.author.reference } } : {}),
            },
          ],
        }
      : {}),
  } as DetectedIssue;
}

/** The reconciled medication: a MedicationStatement of what the patient takes (or stopped) now. */
export function reconciledStatement(input: {
  item: ReconItem;
  action: Action;
  decision: Decision | undefined;
  patient: string;
  at: string;
  asserter: string | undefined;
}): MedicationStatement {
  const { item, action, decision } = input;
  const chosen =
    item.entries.find((e) => e.source === 'discharge' && !e.stopped) ??
    item.entries.find((e) => !e.stopped) ??
    (item.entries[0] as ReconItem['entries'][number]);
  const base =
    action === 'continue'
      ? (item.entries.find((e) => e.source === 'home' || e.source === 'patient') ?? chosen)
      : chosen;
  const concept = base.resource.medicationCodeableConcept ?? { text: item.display };
  const doseText = decision?.dose ?? base.dosage.text;
  return {
    resourceType: 'MedicationStatement',
    // A hold is a pause (MedicationStatement on-hold), with why and until when.
    status: action === 'stop' ? 'stopped' : action === 'hold' ? 'on-hold' : 'active',
    ...((action === 'stop' || action === 'hold') && decision
      ? {
          statusReason: [
            {
              text:
                action === 'hold' && decision.until ? `${decision.reason}; until ${decision.until}` : decision.reason,
            },
          ],
        }
      : {}),
    medicationCodeableConcept: concept,
    subject: { reference: `Patient/${input.patient}` },
    effectiveDateTime: input.at,
    dateAsserted: input.at,
    ...(input.asserter ? { informationSource: { reference: input.asserter } } : {}),
    derivedFrom: item.entries.map((e) => ({ reference: e.ref })),
    ...(doseText ? { dosage: [{ text: doseText }] } : {}),
    ...(decision
      ? {
          note: [
            {
              text: `${decision.action}: ${decision.reason} (${decision.author.display}, ${decision.at.slice(0, 10)})`,
            },
          ],
        }
      : {}),
  } as MedicationStatement;
}
