// One C-CDA document received (POST /fhir/$import-ccda, `careloop import`, the feed review): read
// (ccda-codec.ts), kept in the feed log under its document id, matched to a patient by the ADT
// rules (match-patient.ts), and written as one transaction with system access (plan-ccda-import.ts).
// The same document sent again changes nothing; a doubtful patient holds it for the feed review;
// a document that cannot be read is refused, naming the element, and kept.
import { createHash } from 'node:crypto';
import type { EpisodeOfCare, Patient, Task } from '@medplum/fhirtypes';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { type CcdaDocument, type CcdaProblem, readCcda } from '../../care/feeds/ccda/ccda-codec.js';
import { KEPT_TYPES, type OpenEpisode, planCcdaImport } from '../../care/feeds/ccda/plan-ccda-import.js';
import { doubtAboutPatient, type PatientCandidates } from '../../care/feeds/match-patient.js';
import { ENCOUNTER_IDENTIFIER, EPISODE_TYPE, phaseOf } from '../../care/transitions/episode-resources.js';
import { OPEN_TASK_STATUSES } from '../../care/worklist/order-worklist.js';
import { validateResource } from '../../fhir/validate/validate-resource.js';
import type { FeedOutcome } from '../../store/feed-store.js';
import { newResourceId } from '../../store/ids/new-resource-id.js';
import { searchEvery } from '../../store/read-every-page.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import { patientsWithIdentifiers, resourcesOf } from './adt-lookup.js';

export interface CcdaImportDeps {
  readonly repository: FhirRepository;
  readonly clock: ClinicClock;
  readonly baseUrl: string;
  /** The organization that manages the patients documents register (CARELOOP_FEED_ORGANIZATION). */
  readonly feedOrganization?: string | undefined;
}

/** A coordinator's decision on a held document (feed review): whose it is. */
export type CcdaDecision = { readonly action: 'link'; readonly patient: Patient } | { readonly action: 'create' };

export type CcdaImported =
  | {
      readonly outcome: 'applied' | 'unchanged';
      readonly key: string;
      readonly patient: string;
      readonly documentReference: string;
      readonly counts: Readonly<Record<string, number>>;
    }
  | { readonly outcome: 'review'; readonly key: string; readonly reason: string }
  | { readonly outcome: 'refused'; readonly key: string; readonly problem: CcdaProblem };

/** The identifiers of the document's patient, as search tokens. */
export const documentPatientTokens = (doc: CcdaDocument): string[] =>
  (doc.patient.identifier ?? []).filter((i) => i.system && i.value).map((i) => `${i.system}|${i.value}`);

export async function lookUpDocumentPatient(repository: FhirRepository, doc: CcdaDocument): Promise<PatientCandidates> {
  const byIdentifier = await patientsWithIdentifiers(repository, documentPatientTokens(doc));
  const name = doc.patient.name?.[0];
  const given = name?.given?.[0];
  const byDemographics =
    byIdentifier.length === 0 && name?.family && given && doc.patient.birthDate
      ? resourcesOf<Patient>(
          (
            await repository.search('Patient', [
              ['family:exact', name.family],
              ['given:exact', given],
              ['birthdate', doc.patient.birthDate],
            ])
          ).page,
        ).filter((p) => p.active !== false)
      : [];
  return { byIdentifier, byDemographics };
}

/** The patient's transition episode still open (admitted or after discharge), the latest first. */
async function openEpisodeOf(repository: FhirRepository, patientId: string): Promise<OpenEpisode | undefined> {
  const episodes = (await searchEvery<EpisodeOfCare>(repository, 'EpisodeOfCare', [['patient', patientId]]))
    .filter((e) => e.status === 'active' && e.type?.some((t) => t.coding?.some((c) => c.code === EPISODE_TYPE.code)))
    .filter((e) => phaseOf(e) !== 'closed')
    .sort((a, b) => (b.period?.start ?? '').localeCompare(a.period?.start ?? ''));
  const episode = episodes[0];
  if (!episode?.id) return undefined;
  const tasks = await searchEvery<Task & { id: string }>(repository, 'Task', [
    ['focus', `EpisodeOfCare/${episode.id}`],
    ['status', OPEN_TASK_STATUSES.join(',')],
  ]);
  return {
    id: episode.id,
    stay: episode.identifier?.find((i) => i.system === ENCOUNTER_IDENTIFIER)?.value,
    reconciliationTask: tasks.find((t) => t.code?.coding?.some((c) => c.code === 'medication-reconciliation')),
  };
}

/** A stable id for each resource of one document: importing it again rewrites the same resources. */
const idsOf = (documentId: string) => (key: string) => {
  const h = createHash('sha256').update(`${documentId}|${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** The converter's resources Careloop's validator refuses (`Type/id`): left out, the rest imported. */
function invalidOf(doc: CcdaDocument): Set<string> {
  const invalid = new Set<string>();
  for (const e of doc.bundle.entry ?? []) {
    const r = e.resource;
    if (r && KEPT_TYPES.has(r.resourceType) && validateResource(r).length > 0) invalid.add(`${r.resourceType}/${r.id}`);
  }
  return invalid;
}

/**
 * Reads and applies one document (with a coordinator's decision, for a held one). `settle` records
 * the outcome in the feed log; the caller audits.
 */
export async function applyCcda(
  deps: CcdaImportDeps,
  xml: string,
  key: string,
  decision?: CcdaDecision,
): Promise<CcdaImported> {
  const reading = readCcda(xml);
  if (!reading.ok) return { outcome: 'refused', key, problem: reading.problem };
  const doc = reading.document;
  const found = await lookUpDocumentPatient(deps.repository, doc);
  let patient: Patient | undefined;
  if (decision?.action === 'link') patient = decision.patient;
  else if (decision?.action === 'create') {
    if (found.byIdentifier.length > 0)
      return {
        outcome: 'refused',
        key,
        problem: {
          element: 'recordTarget/patientRole/id',
          text: 'Another patient holds these identifiers: link it instead',
        },
      };
  } else {
    const name = doc.patient.name?.[0];
    const doubt = doubtAboutPatient({ family: name?.family, birthDate: doc.patient.birthDate }, found);
    if (doubt) return { outcome: 'review', key, reason: doubt };
    patient = found.byIdentifier[0];
  }
  const patientId = patient?.id ?? newResourceId();
  const plan = planCcdaImport({
    document: doc,
    xml,
    patient,
    patientId,
    idFor: idsOf(doc.id),
    at: deps.clock.nowIso(),
    episode: patient ? await openEpisodeOf(deps.repository, patientId) : undefined,
    feedOrganization: deps.feedOrganization,
    invalid: invalidOf(doc),
  });
  await deps.repository.processBundle(plan.bundle, deps.baseUrl);
  return {
    outcome: 'applied',
    key,
    patient: patientId,
    documentReference: plan.documentReference,
    counts: plan.counts,
  };
}

/** The feed log's record of an applied document: enough to answer the same document again. */
const appliedDetail = (r: Extract<CcdaImported, { outcome: 'applied' | 'unchanged' }>) =>
  JSON.stringify({ patient: r.patient, documentReference: r.documentReference, counts: r.counts });

export async function importCcda(deps: CcdaImportDeps, xml: string, from: string): Promise<CcdaImported> {
  const feeds = deps.repository.store.feeds;
  const reading = readCcda(xml);
  const digest = createHash('sha256').update(xml).digest('hex');
  const doc = reading.ok ? reading.document : undefined;
  // By document id (a document's id is unique, C-CDA R2.1 §1.1.1.2); an unreadable one by its digest.
  let key = doc ? `ccda|${doc.id}` : `ccda|sha256:${digest}`;
  const receive = () =>
    feeds.receiveFeedMessage({
      key,
      kind: 'ccda',
      sender: (doc?.custodian ?? from).slice(0, 200),
      controlId: doc?.id ?? '',
      type: doc?.type?.coding?.[0]?.code ? `C-CDA ${doc.type.coding[0].code}` : 'C-CDA',
      receivedAt: deps.clock.now(),
      raw: xml,
      outcome: 'received',
      detail: undefined,
    });
  let fresh = await receive();
  const seen = fresh ? undefined : await feeds.getFeedMessage(key);
  // The same id on other content: another version sent without a new id; kept under its digest.
  if (seen && seen.raw !== xml) {
    key = `${key}|sha256:${digest}`;
    fresh = await receive();
  }
  if (!fresh) {
    const again = await feeds.getFeedMessage(key);
    if (again?.outcome === 'applied' && again.detail) {
      const d = JSON.parse(again.detail) as {
        patient: string;
        documentReference: string;
        counts: Record<string, number>;
      };
      return { outcome: 'unchanged', key, ...d };
    }
    if (again?.outcome === 'review')
      return { outcome: 'review', key, reason: 'This document is waiting in the feed review' };
    if (again?.outcome === 'refused' && !reading.ok) return { outcome: 'refused', key, problem: reading.problem };
    // Refused before (or still being applied): tried again below.
  }
  const done = await applyCcdaCatching(deps, xml, key);
  await settleCcda(deps, key, done);
  return done;
}

/** applyCcda, with a write that fails (nothing of it committed) turned into a refusal. */
export async function applyCcdaCatching(
  deps: CcdaImportDeps,
  xml: string,
  key: string,
  decision?: CcdaDecision,
): Promise<CcdaImported> {
  try {
    return await applyCcda(deps, xml, key, decision);
  } catch (err) {
    return {
      outcome: 'refused',
      key,
      problem: { element: 'ClinicalDocument', text: err instanceof Error ? err.message : String(err) },
    };
  }
}

export async function settleCcda(deps: CcdaImportDeps, key: string, done: CcdaImported): Promise<void> {
  let outcome: FeedOutcome;
  let detail: string;
  if (done.outcome === 'applied' || done.outcome === 'unchanged') {
    outcome = 'applied';
    detail = appliedDetail(done);
  } else if (done.outcome === 'review') {
    outcome = 'review';
    detail = done.reason;
  } else {
    const { problem } = done as Extract<CcdaImported, { outcome: 'refused' }>;
    outcome = 'refused';
    detail = `${problem.element}: ${problem.text}`;
  }
  await deps.repository.store.feeds.settleFeedMessage(key, outcome, detail);
}

/**
 * A document the patient uploaded, accepted by their care team: imported into that patient's
 * record (the care team vouches whose it is), unless the document names someone else (another
 * family name or birth date): then refused. Kept in the feed log like any document.
 */
export async function importCcdaForPatient(
  deps: CcdaImportDeps,
  xml: string,
  from: string,
  patient: Patient & { id: string },
): Promise<CcdaImported> {
  const reading = readCcda(xml);
  const key = reading.ok
    ? `ccda|${reading.document.id}`
    : `ccda|sha256:${createHash('sha256').update(xml).digest('hex')}`;
  if (reading.ok) {
    const name = reading.document.patient.name?.[0];
    const doubt = doubtAboutPatient(
      { family: name?.family, birthDate: reading.document.patient.birthDate },
      { byIdentifier: [patient], byDemographics: [] },
    );
    if (doubt)
      return {
        outcome: 'refused',
        key,
        problem: {
          element: 'recordTarget/patientRole/patient',
          text: 'The document is about someone else (its name or birth date differ)',
        },
      };
  }
  const fresh = await deps.repository.store.feeds.receiveFeedMessage({
    key,
    kind: 'ccda',
    sender: from.slice(0, 200),
    controlId: reading.ok ? reading.document.id : '',
    type:
      reading.ok && reading.document.type?.coding?.[0]?.code
        ? `C-CDA ${reading.document.type.coding[0].code}`
        : 'C-CDA',
    receivedAt: deps.clock.now(),
    raw: xml,
    outcome: 'received',
    detail: undefined,
  });
  if (!fresh) {
    const seen = await deps.repository.store.feeds.getFeedMessage(key);
    if (seen?.outcome === 'applied' && seen.detail) {
      const d = JSON.parse(seen.detail) as {
        patient: string;
        documentReference: string;
        counts: Record<string, number>;
      };
      return { outcome: 'unchanged', key, ...d };
    }
  }
  const done = reading.ok
    ? await applyCcdaCatching(deps, xml, key, { action: 'link', patient })
    : ({ outcome: 'refused', key, problem: reading.problem } as const);
  await settleCcda(deps, key, done);
  return done;
}
