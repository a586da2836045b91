// Medication reconciliation as a service: which lists are compared (what the record holds, or the
// lists a request names), a reconciliation read back with its decisions and issues, and what goes
// on the patient's schedule. It takes a reader (src/care/care-reader.ts: a route passes the
// requester's view) and reads in sets — the entries of a named list by type, a hundred ids a search —
// never one read per entry. Routes parse, call and encode (src/server/routes/medrec-*.ts).
import type {
  AllergyIntolerance,
  BundleEntry,
  DetectedIssue,
  List,
  MedicationDispense,
  MedicationRequest,
  MedicationStatement,
  Patient,
} from '@medplum/fhirtypes';
import { badRequest, OutcomeError } from '../../fhir/outcome.js';
import type { CareReader } from '../care-reader.js';
import type { ScheduleInput } from './medication-schedule.js';
import { classifyDiscrepancy, type Decision, finalAction } from './medrec-decisions.js';
import {
  finalizedIssue,
  listDecisions,
  listIssueRefs,
  listSources,
  MEDREC_COMPLETED_BY_URL,
  RECONCILIATION_CODE,
  reconciledStatement,
} from './medrec-resources.js';
import { readDosage } from './read-dosage.js';
import {
  type Action,
  type ListSource,
  type MedicationEntry,
  type MedicationResource,
  type Reconciliation,
  reconcileMedications,
  SOURCE_WORDS,
} from './reconcile-medications.js';

const DAY = 86_400_000;
/** Pharmacy fills older than this are not the patient's current medicines. */
const PHARMACY_WINDOW_DAYS = 120;

const categoryOf = (r: MedicationRequest) =>
  (r.category ?? [])
    .flatMap((c) => (c.coding ?? []).map((x) => x.code ?? ''))
    .find((c) => ['discharge', 'inpatient'].includes(c));

/**
 * The lists Careloop compares by default, from what the record holds: the home list (active
 * statements; before the first reconciliation, the active community prescriptions), the patient's
 * own statements, inpatient and discharge orders, and the pharmacy fills of the last 120 days.
 */
export async function gatherEntries(reader: CareReader, patient: string, now: number): Promise<MedicationEntry[]> {
  const [statements, requests, dispenses] = await Promise.all([
    reader.searchEvery<MedicationStatement>('MedicationStatement', [
      ['patient', patient],
      ['status', 'active,intended,on-hold'],
    ]),
    reader.searchEvery<MedicationRequest>('MedicationRequest', [['patient', patient]]),
    reader.searchEvery<MedicationDispense>('MedicationDispense', [
      ['patient', patient],
      ['status', 'completed'],
    ]),
  ]);
  const entries: MedicationEntry[] = [];
  const byPatient = (s: MedicationStatement) => /^(Patient|RelatedPerson)\//.test(s.informationSource?.reference ?? '');
  const homeStatements = statements.filter((s) => !byPatient(s));
  for (const s of statements)
    entries.push({ ref: `MedicationStatement/${s.id}`, source: byPatient(s) ? 'patient' : 'home', resource: s });
  for (const r of requests) {
    const category = categoryOf(r);
    if (category === 'discharge') entries.push({ ref: `MedicationRequest/${r.id}`, source: 'discharge', resource: r });
    else if (category === 'inpatient' && r.status === 'active')
      entries.push({ ref: `MedicationRequest/${r.id}`, source: 'inpatient', resource: r });
    // Without a reconciled home list, the active community prescriptions are the home list.
    else if (!category && homeStatements.length === 0 && r.status === 'active')
      entries.push({ ref: `MedicationRequest/${r.id}`, source: 'home', resource: r });
  }
  for (const d of dispenses)
    if (!d.whenHandedOver || Date.parse(d.whenHandedOver) >= now - PHARMACY_WINDOW_DAYS * DAY)
      entries.push({ ref: `MedicationDispense/${d.id}`, source: 'pharmacy', resource: d });
  return entries;
}

/** Reads references in sets: one search per type and hundred ids. */
async function readRefs(reader: CareReader, refs: readonly string[]): Promise<Map<string, MedicationResource>> {
  const byType = new Map<string, string[]>();
  for (const ref of refs) {
    const [t, i] = ref.split('/');
    if (t && i) byType.set(t, [...(byType.get(t) ?? []), i]);
  }
  const out = new Map<string, MedicationResource>();
  for (const [type, ids] of byType)
    for (const r of await reader.readByIds<MedicationResource>(type, ids)) out.set(`${type}/${r.id}`, r);
  return out;
}

/** The lists a request names: each with its source (a ListSource) and a List of medication entries. */
export async function namedEntries(
  reader: CareReader,
  lists: readonly { source: string | undefined; list: string | undefined }[],
): Promise<MedicationEntry[]> {
  const named: { source: ListSource; refs: string[] }[] = [];
  for (const l of lists) {
    if (!l.source || !(l.source in SOURCE_WORDS))
      throw badRequest(`Each list needs a source: ${Object.keys(SOURCE_WORDS).join(', ')}`);
    const [type, id] = (l.list ?? '').split('/');
    if (type !== 'List' || !id) throw badRequest('Each list needs list: a reference to a List');
    const list = await reader.read<List>('List', id);
    named.push({
      source: l.source as ListSource,
      refs: (list.entry ?? []).map((e) => e.item.reference ?? '').filter((r) => /^\w+\/[^/]+$/.test(r)),
    });
  }
  const resources = await readRefs(
    reader,
    named.flatMap((n) => n.refs),
  );
  return named.flatMap((n) =>
    n.refs.flatMap((ref) => {
      const resource = resources.get(ref);
      if (!resource) throw new OutcomeError('not-found', `${ref} not found`, { status: 404 });
      return [{ ref, source: n.source, resource }];
    }),
  );
}

/** A reconciliation's entries as they were when compared (their versions then), whatever changed since. */
async function entriesOfList(reader: CareReader, list: List): Promise<MedicationEntry[]> {
  const sources = listSources(list);
  const current = await readRefs(
    reader,
    sources.map((s) => s.ref),
  );
  const out: MedicationEntry[] = [];
  for (const { source, ref, version } of sources) {
    const now = current.get(ref);
    const [type, id] = ref.split('/') as [string, string];
    // Only an entry changed since is read at its old version; one gone since, and recorded without
    // its version, cannot be shown as it was.
    if (!now && !version)
      throw new OutcomeError('not-found', `${ref}, compared in this reconciliation, is not found`, { status: 404 });
    const resource =
      now && (!version || now.meta?.versionId === version)
        ? now
        : await reader.vread<MedicationResource>(type, id, version as string);
    out.push({ ref, source, resource });
  }
  return out;
}

export const allergiesOf = (reader: CareReader, patient: string) =>
  reader.searchEvery<AllergyIntolerance>('AllergyIntolerance', [['patient', patient]]);

export interface LoadedReconciliation {
  readonly list: List;
  readonly patient: string;
  readonly recon: Reconciliation;
  readonly issues: readonly DetectedIssue[];
  readonly decisions: Map<string, Decision>;
}

/** A reconciliation read back: its List, the comparison as it was, its issues and decisions. */
export async function loadReconciliation(
  reader: CareReader,
  id: string,
  withIssues = true,
): Promise<LoadedReconciliation> {
  const list = await reader.read<List>('List', id);
  if (!list.code?.coding?.some((c) => c.code === 'medication-reconciliation'))
    throw new OutcomeError('not-found', `List/${id} is not a medication reconciliation`, { status: 404 });
  const patient = (list.subject?.reference ?? '').replace(/^Patient\//, '');
  const [entries, allergies, issues] = await Promise.all([
    entriesOfList(reader, list),
    allergiesOf(reader, patient),
    withIssues
      ? reader.readByIds<DetectedIssue>(
          'DetectedIssue',
          listIssueRefs(list).map((r) => r.split('/')[1] ?? ''),
        )
      : Promise.resolve([]),
  ]);
  return { list, patient, recon: reconcileMedications({ entries, allergies }), issues, decisions: listDecisions(list) };
}

/** What goes on the patient's schedule: each medicine's final action, dose and times, and for a hold its end. */
export function scheduleInputs(recon: Reconciliation, decisions: ReadonlyMap<string, Decision>): ScheduleInput[] {
  return recon.items
    .filter((i) => !i.key.startsWith('unmatched:') || decisions.has(i.key))
    .map((item) => {
      const action: Action = finalAction(item, decisions);
      const decision = decisions.get(item.key);
      const home = item.entries.find((e) => e.source === 'home' || e.source === 'patient');
      const after =
        item.entries.find((e) => e.source === 'discharge' && !e.stopped) ?? item.entries.find((e) => !e.stopped);
      const chosen = action === 'continue' ? (home ?? after) : (after ?? home);
      const doseText = decision?.dose ?? chosen?.dosage.text ?? '';
      const dosage = readDosage([{ text: doseText }]);
      return {
        name: chosen?.resolved.text ?? item.display,
        ingredients: item.key.startsWith('unmatched:') ? [] : item.key.split('+'),
        action,
        doseText,
        timesOfDay: dosage.timesOfDay,
        asNeeded: dosage.asNeeded,
        ...(action === 'modify' && home ? { before: home.dosage.text || home.resolved.text } : {}),
        ...(action === 'hold' && decision ? { until: decision.until, reason: decision.reason } : {}),
      };
    });
}

/** The language the patient reads their schedule in: asked for, else their preferred one. */
export async function patientLanguage(
  reader: CareReader,
  patient: string,
  requested: string | undefined,
): Promise<string | undefined> {
  if (requested) return requested;
  const p = await reader.read<Patient>('Patient', patient);
  return (p.communication?.find((c) => c.preferred) ?? p.communication?.[0])?.language.coding?.[0]?.code;
}

/** The patient's latest completed reconciliation, if any. */
export async function latestCompletedReconciliation(reader: CareReader, patient: string): Promise<List | undefined> {
  const lists = await reader.searchEvery<List>('List', [
    ['patient', patient],
    ['code', `${RECONCILIATION_CODE.coding[0]?.system}|medication-reconciliation`],
    ['_sort', '-date'],
  ]);
  return lists.find((l) => l.mode === 'snapshot' && l.id);
}

/**
 * The writes that complete a reconciliation, as one transaction: the reconciled MedicationStatements,
 * the earlier home list superseded, home prescriptions decided "stop" stopped and "hold" on hold
 * (with until when), the DetectedIssues finalized with their classification, and the List as a
 * snapshot naming who completed it. The current versions of the compared entries are read in sets.
 */
export async function completionEntries(
  reader: CareReader,
  r: LoadedReconciliation,
  input: { at: string; by: { reference?: string | undefined; display: string } },
): Promise<BundleEntry[]> {
  const { at } = input;
  const currents = await readRefs(
    reader,
    r.recon.items.flatMap((i) => i.entries.map((e) => e.ref)),
  );
  const entries: BundleEntry[] = [];
  const statementUrl = (i: number) => `urn:uuid:00000000-0000-4000-a000-${String(i).padStart(12, '0')}`;
  const finalItems = r.recon.items.filter((i) => !i.key.startsWith('unmatched:') || r.decisions.has(i.key));
  finalItems.forEach((item, i) => {
    entries.push({
      fullUrl: statementUrl(i),
      resource: reconciledStatement({
        item,
        action: finalAction(item, r.decisions),
        decision: r.decisions.get(item.key),
        patient: r.patient,
        at,
        asserter: input.by.reference,
      }),
      request: { method: 'POST', url: 'MedicationStatement' },
    });
  });
  // The earlier home list is superseded; home prescriptions decided "stop" are stopped, "hold" on hold.
  const superseded = new Set<string>();
  for (const item of r.recon.items)
    for (const e of item.entries) {
      if (superseded.has(e.ref)) continue;
      const current = currents.get(e.ref);
      if (!current) continue;
      if (e.resource.resourceType === 'MedicationStatement' && e.source === 'home' && current.status === 'active') {
        superseded.add(e.ref);
        entries.push({
          resource: { ...current, status: 'completed' } as MedicationStatement,
          request: { method: 'PUT', url: e.ref },
        });
      } else if (
        e.resource.resourceType === 'MedicationRequest' &&
        e.source === 'home' &&
        ['stop', 'hold'].includes(finalAction(item, r.decisions)) &&
        current.status === 'active'
      ) {
        // Decided "stop": stopped. Decided "hold": on hold, with until when (the prescription resumes).
        superseded.add(e.ref);
        const decision = r.decisions.get(item.key);
        const hold = decision?.action === 'hold';
        const reason = decision
          ? `${decision.reason}${hold && decision.until ? `; until ${decision.until}` : ''}`
          : 'Stopped at medication reconciliation';
        entries.push({
          resource: {
            ...current,
            status: hold ? 'on-hold' : 'stopped',
            statusReason: { text: reason },
          } as MedicationRequest,
          request: { method: 'PUT', url: e.ref },
        });
      }
    }
  for (const issue of r.issues) {
    const d = r.recon.discrepancies.find((x) => x.key === issue.identifier?.[0]?.value);
    const decision = d ? r.decisions.get(d.items[0] as string) : undefined;
    entries.push({
      resource: finalizedIssue(issue, d ? classifyDiscrepancy(d, r.decisions) : undefined, decision),
      request: { method: 'PUT', url: `DetectedIssue/${issue.id}` },
    });
  }
  const list: List = {
    ...r.list,
    mode: 'snapshot',
    date: at,
    // Who completed it, named as a person in their role (the page shows it, not "Start reconciliation").
    extension: [
      ...(r.list.extension ?? []).filter((x) => x.url !== MEDREC_COMPLETED_BY_URL),
      {
        url: MEDREC_COMPLETED_BY_URL,
        valueReference: {
          ...(input.by.reference ? { reference: input.by.reference } : {}),
          display: input.by.display,
        },
      },
    ],
    entry: finalItems.map((item, i) => {
      const old = r.list.entry?.find((e) => e.extension?.some((x) => x.valueString === item.key));
      return {
        ...(old ?? {}),
        item: { reference: statementUrl(i), display: item.display },
        flag: {
          coding: [
            { system: 'http://careloop.org/fhir/CodeSystem/medrec-action', code: finalAction(item, r.decisions) },
          ],
        },
      };
    }),
  };
  entries.push({ resource: list, request: { method: 'PUT', url: `List/${r.list.id}` } });
  return entries;
}
