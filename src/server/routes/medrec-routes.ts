// Medication reconciliation over HTTP (src/care/medrec):
//   POST Patient/{id}/$reconcile-medications   compare the lists; writes the working List and a
//                                               DetectedIssue per discrepancy (one transaction)
//   GET  List/{id}/$reconciliation              the same view, with the decisions so far
//   POST List/{id}/$record-decision             item, action, reason (and dose): one decision
//   POST List/{id}/$complete-reconciliation     422 while high-severity discrepancies are
//                                               unresolved; else writes the reconciled list
//   GET  Patient/{id}/$medication-schedule      the patient's schedule from the latest one
// Every read and write goes through the requester's own access (req.fhir).
import type {
  AllergyIntolerance,
  Bundle,
  BundleEntry,
  DetectedIssue,
  List,
  MedicationDispense,
  MedicationRequest,
  MedicationStatement,
  Parameters,
  ParametersParameter,
  Patient,
} from '@medplum/fhirtypes';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import {
  buildSchedule,
  type MedicationSchedule,
  type ScheduleInput,
  scheduleLanguage,
} from '../../care/medrec/medication-schedule.js';
import {
  checkDecision,
  classifyDiscrepancy,
  type Decision,
  finalAction,
  unresolvedHigh,
} from '../../care/medrec/medrec-decisions.js';
import {
  detectedIssueFor,
  finalizedIssue,
  listDecisions,
  listIssueRefs,
  listSources,
  MEDREC_COMPLETED_BY_URL,
  RECONCILIATION_CODE,
  reconciledStatement,
  reconciliationList,
  withDecision,
} from '../../care/medrec/medrec-resources.js';
import { readDosage } from '../../care/medrec/read-dosage.js';
import {
  type Action,
  type ListSource,
  type MedicationEntry,
  type MedicationResource,
  type Reconciliation,
  reconcileMedications,
  SOURCE_WORDS,
} from '../../care/medrec/reconcile-medications.js';
import { badRequest, OutcomeError } from '../../fhir/outcome.js';
import { searchEvery } from '../../store/read-every-page.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import { FHIR_JSON } from '../http/fhir-reply.js';
import { principalOf } from '../http/request-context.js';
import { authorName } from './author-name.js';

const DAY = 86_400_000;
const parse = <T>(json: string | undefined): T => JSON.parse(json as string) as T;

const categoryOf = (r: MedicationRequest) =>
  (r.category ?? [])
    .flatMap((c) => (c.coding ?? []).map((x) => x.code ?? ''))
    .find((c) => ['discharge', 'inpatient'].includes(c));

/** The lists Careloop compares by default, from what the record holds. */
async function gatherEntries(fhir: FhirRepository, patient: string, now: number): Promise<MedicationEntry[]> {
  const [statements, requests, dispenses] = await Promise.all([
    searchEvery<MedicationStatement>(fhir, 'MedicationStatement', [
      ['patient', patient],
      ['status', 'active,intended,on-hold'],
    ]),
    searchEvery<MedicationRequest>(fhir, 'MedicationRequest', [['patient', patient]]),
    searchEvery<MedicationDispense>(fhir, 'MedicationDispense', [
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
    if (!d.whenHandedOver || Date.parse(d.whenHandedOver) >= now - 120 * DAY)
      entries.push({ ref: `MedicationDispense/${d.id}`, source: 'pharmacy', resource: d });
  return entries;
}

/** Lists named in the request: parameter `list` with parts `source` (code) and `list` (a List). */
async function namedEntries(
  fhir: FhirRepository,
  body: Parameters | undefined,
): Promise<MedicationEntry[] | undefined> {
  const named = (body?.parameter ?? []).filter((p) => p.name === 'list');
  if (!named.length) return undefined;
  const entries: MedicationEntry[] = [];
  for (const p of named) {
    const source = p.part?.find((x) => x.name === 'source')?.valueCode as ListSource | undefined;
    const ref = p.part?.find((x) => x.name === 'list')?.valueReference?.reference ?? '';
    if (!source || !(source in SOURCE_WORDS))
      throw badRequest(`Each list needs a source: ${Object.keys(SOURCE_WORDS).join(', ')}`);
    const [type, id] = ref.split('/');
    if (type !== 'List' || !id) throw badRequest('Each list needs list: a reference to a List');
    const list = parse<List>((await fhir.read('List', id)).json);
    for (const e of list.entry ?? []) {
      const [t, i] = (e.item.reference ?? '').split('/');
      if (!t || !i) continue;
      entries.push({ ref: `${t}/${i}`, source, resource: parse<MedicationResource>((await fhir.read(t, i)).json) });
    }
  }
  return entries;
}

async function entriesOfList(fhir: FhirRepository, list: List): Promise<MedicationEntry[]> {
  const out: MedicationEntry[] = [];
  // Each entry as it was when compared (its version then), whatever changed since.
  for (const { source, ref, version } of listSources(list)) {
    const [type, id] = ref.split('/') as [string, string];
    const stored = version ? await fhir.vread(type, id, version) : await fhir.read(type, id);
    out.push({ ref, source, resource: parse<MedicationResource>(stored.json) });
  }
  return out;
}

const allergiesOf = (fhir: FhirRepository, patient: string) =>
  searchEvery<AllergyIntolerance>(fhir, 'AllergyIntolerance', [['patient', patient]]);

const completedByOf = (list: List): string[] =>
  (list.extension ?? [])
    .filter((x) => x.url === MEDREC_COMPLETED_BY_URL)
    .map((x) => x.valueReference?.display ?? '')
    .filter(Boolean);

function view(
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
          ...(list.date ? [{ name: 'completedAt', valueDateTime: list.date }] : []),
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
                    ...(decision.dose ? [{ name: 'dose', valueString: decision.dose }] : []),
                    ...(decision.until ? [{ name: 'until', valueString: decision.until }] : []),
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
          ...(issue?.id ? [{ name: 'issue', valueReference: { reference: `DetectedIssue/${issue.id}` } }] : []),
          ...(classification ? [{ name: 'classification', valueCode: classification }] : []),
        ],
      } satisfies ParametersParameter;
    }),
  ];
  return { resourceType: 'Parameters', parameter };
}

async function loadReconciliation(fhir: FhirRepository, id: string, withIssues = true) {
  const list = parse<List>((await fhir.read('List', id)).json);
  if (!list.code?.coding?.some((c) => c.code === 'medication-reconciliation'))
    throw new OutcomeError('not-found', `List/${id} is not a medication reconciliation`, { status: 404 });
  const patient = (list.subject?.reference ?? '').replace(/^Patient\//, '');
  const recon = reconcileMedications({
    entries: await entriesOfList(fhir, list),
    allergies: await allergiesOf(fhir, patient),
  });
  const issues: DetectedIssue[] = [];
  for (const ref of withIssues ? listIssueRefs(list) : []) {
    const [, issueId] = ref.split('/');
    if (issueId) issues.push(parse<DetectedIssue>((await fhir.read('DetectedIssue', issueId)).json));
  }
  return { list, patient, recon, issues, decisions: listDecisions(list) };
}

function scheduleInputs(recon: Reconciliation, decisions: ReadonlyMap<string, Decision>): ScheduleInput[] {
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

function scheduleParameters(schedule: MedicationSchedule): ParametersParameter[] {
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
            ...(l.purpose ? [{ name: 'purpose', valueString: l.purpose }] : []),
            ...(l.how ? [{ name: 'how', valueString: l.how }] : []),
            { name: 'when', valueString: l.when },
            ...(l.note ? [{ name: 'note', valueString: l.note }] : []),
          ],
        })),
      ],
    })),
  ];
}

async function patientLanguage(
  fhir: FhirRepository,
  patient: string,
  requested: string | undefined,
): Promise<string | undefined> {
  if (requested) return requested;
  const p = parse<Patient>((await fhir.read('Patient', patient)).json);
  return (p.communication?.find((c) => c.preferred) ?? p.communication?.[0])?.language.coding?.[0]?.code;
}

/** The decider's name as their FHIR record gives it ("Priya Natarajan, PharmD"), else the user name. */
const send = (reply: { type(t: string): { send(b: string): unknown } }, body: unknown) =>
  reply.type(FHIR_JSON).send(JSON.stringify(body));

function bodyOf(req: FastifyRequest): Parameters | undefined {
  const body = req.body as Parameters | undefined;
  if (body && body.resourceType !== 'Parameters') throw badRequest('The body must be a Parameters resource');
  return body;
}

export function registerMedrecRoutes(app: FastifyInstance, clock: ClinicClock): void {
  app.post<{ Params: { id: string } }>('/fhir/Patient/:id/$reconcile-medications', async (req, reply) => {
    const patient = req.params.id;
    await req.fhir.read('Patient', patient);
    const now = clock.now();
    const at = new Date(now).toISOString();
    const entries = (await namedEntries(req.fhir, bodyOf(req))) ?? (await gatherEntries(req.fhir, patient, now));
    if (entries.length === 0)
      throw new OutcomeError('business-rule', 'The patient has no medication lists to reconcile', { status: 422 });
    const recon = reconcileMedications({ entries, allergies: await allergiesOf(req.fhir, patient) });
    const issueUrls = recon.discrepancies.map(
      (_, i) => `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const listUrl = 'urn:uuid:00000000-0000-4000-9000-000000000000';
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        ...recon.discrepancies.map(
          (d, i): BundleEntry => ({
            fullUrl: issueUrls[i],
            resource: detectedIssueFor(d, patient, at),
            request: { method: 'POST', url: 'DetectedIssue' },
          }),
        ),
        {
          fullUrl: listUrl,
          resource: reconciliationList({
            patient,
            items: recon.items,
            issueRefs: issueUrls,
            at,
            source: principalOf(req).fhirUser,
          }),
          request: { method: 'POST', url: 'List' },
        },
      ],
    };
    const result = await req.fhir.processBundle(bundle, '');
    const listId = result.entry?.at(-1)?.response?.location?.split('/')[1] ?? '';
    const loaded = await loadReconciliation(req.fhir, listId);
    return send(reply.code(201), view(loaded.list, loaded.recon, loaded.issues, loaded.decisions));
  });

  app.get<{ Params: { id: string } }>('/fhir/List/:id/$reconciliation', async (req, reply) => {
    const r = await loadReconciliation(req.fhir, req.params.id);
    return send(reply, view(r.list, r.recon, r.issues, r.decisions));
  });

  app.post<{ Params: { id: string } }>('/fhir/List/:id/$record-decision', async (req, reply) => {
    const body = bodyOf(req);
    const value = (name: string) => body?.parameter?.find((p) => p.name === name);
    const input = {
      item: value('item')?.valueString,
      action: value('action')?.valueCode ?? value('action')?.valueString,
      reason: value('reason')?.valueString,
      dose: value('dose')?.valueString,
      until: value('until')?.valueString ?? value('until')?.valueDate,
    };
    const issues = checkDecision(input);
    if (!input.item) issues.unshift('Name the medication: item (its key in the reconciliation)');
    if (issues.length) throw badRequest(issues.join('; '));
    const r = await loadReconciliation(req.fhir, req.params.id);
    if (r.list.mode === 'snapshot')
      throw new OutcomeError('business-rule', 'This reconciliation is complete', { status: 422 });
    const principal = principalOf(req);
    const author = await authorName(req.fhir, principal.fhirUser, principal.name);
    const decision: Decision = {
      item: input.item as string,
      action: input.action as Action,
      reason: (input.reason as string).trim(),
      ...(input.dose ? { dose: input.dose } : {}),
      ...(input.action === 'hold' && input.until ? { until: input.until.trim() } : {}),
      author: {
        ...(principal.fhirUser ? { reference: principal.fhirUser } : {}),
        display: `${author} (${principal.role})`,
      },
      at: clock.nowIso(),
    };
    const next = withDecision(r.list, decision);
    if (!next) throw badRequest(`No medication '${input.item}' in this reconciliation`);
    const ifMatch = req.headers['if-match'];
    await req.fhir.update('List', req.params.id, next, typeof ifMatch === 'string' ? { ifMatch } : {});
    const decisions = listDecisions(next);
    return send(reply, view({ ...next, id: req.params.id }, r.recon, r.issues, decisions));
  });

  app.post<{ Params: { id: string } }>('/fhir/List/:id/$complete-reconciliation', async (req, reply) => {
    const r = await loadReconciliation(req.fhir, req.params.id);
    if (r.list.mode === 'snapshot')
      throw new OutcomeError('business-rule', 'This reconciliation is already complete', { status: 422 });
    const blocking = unresolvedHigh(r.recon.discrepancies, r.decisions);
    if (blocking.length)
      throw new OutcomeError('business-rule', `${blocking.length} high-severity discrepancies need a decision first`, {
        status: 422,
        issues: blocking.map((d) => ({ severity: 'error', code: 'business-rule', diagnostics: d.text })),
      });
    const principal = principalOf(req);
    const at = clock.nowIso();
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
          asserter: principal.fhirUser,
        }),
        request: { method: 'POST', url: 'MedicationStatement' },
      });
    });
    // The earlier home list is superseded; home prescriptions decided "stop" are stopped, "hold" on hold.
    const superseded = new Set<string>();
    for (const item of r.recon.items)
      for (const e of item.entries) {
        if (superseded.has(e.ref)) continue;
        const current = parse<MedicationResource>(
          (await req.fhir.read(e.resource.resourceType, e.ref.split('/')[1] as string)).json,
        );
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
    const completer = await authorName(req.fhir, principal.fhirUser, principal.name);
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
            ...(principal.fhirUser ? { reference: principal.fhirUser } : {}),
            display: `${completer} (${principal.role})`,
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
    entries.push({ resource: list, request: { method: 'PUT', url: `List/${req.params.id}` } });
    // The List's Provenance (author and role) is written by the care plan hook, as for every decision.
    await req.fhir.processBundle({ resourceType: 'Bundle', type: 'transaction', entry: entries }, '');
    const language = scheduleLanguage(await patientLanguage(req.fhir, r.patient, undefined));
    const schedule = buildSchedule(scheduleInputs(r.recon, r.decisions), language);
    return send(reply, {
      resourceType: 'Parameters',
      parameter: [
        { name: 'reconciliation', valueReference: { reference: `List/${req.params.id}` } },
        ...scheduleParameters(schedule),
      ],
    } satisfies Parameters);
  });

  app.get<{ Params: { id: string }; Querystring: { language?: string } }>(
    '/fhir/Patient/:id/$medication-schedule',
    async (req, reply) => {
      const patient = req.params.id;
      await req.fhir.read('Patient', patient);
      const lists = (
        await searchEvery<List>(req.fhir, 'List', [
          ['patient', patient],
          ['code', `${RECONCILIATION_CODE.coding[0]?.system}|medication-reconciliation`],
          ['_sort', '-date'],
        ])
      ).filter((l) => l.mode === 'snapshot');
      const latest = lists[0];
      if (!latest?.id)
        throw new OutcomeError('not-found', 'No completed medication reconciliation for this patient yet', {
          status: 404,
        });
      // The patient reads their schedule; the discrepancies behind it are the care team's.
      const r = await loadReconciliation(req.fhir, latest.id, false);
      const language = scheduleLanguage(await patientLanguage(req.fhir, patient, req.query.language));
      return send(reply, {
        resourceType: 'Parameters',
        parameter: [
          { name: 'reconciliation', valueReference: { reference: `List/${latest.id}` } },
          { name: 'date', valueDateTime: latest.date ?? '' },
          ...scheduleParameters(buildSchedule(scheduleInputs(r.recon, r.decisions), language)),
        ],
      } satisfies Parameters);
    },
  );
}
