// The feed review: ADT messages and C-CDA documents held because Careloop could not be sure whose they are (a doubtful
// patient match) or because they change who is who (an A40 merge). A coordinator sees each with
// the patients it may be about — only those their own access lets them see — and decides: link it
// to a patient, register a new patient from it, confirm the merge, or dismiss it. The decided
// message is then applied as it would have been on arrival (apply-adt.ts), with system access.
// One decision per message: two coordinators deciding at once, one wins (the other is told).
import type { Patient } from '@medplum/fhirtypes';
import { readCcda } from '../../care/feeds/ccda/ccda-codec.js';
import { parseHl7, problemOfAck } from '../../care/feeds/hl7v2/hl7-message.js';
import { type AdtLookup, doubtAbout, mergedTokens } from '../../care/feeds/hl7v2/plan-adt.js';
import { type AdtEvent, readAdt } from '../../care/feeds/hl7v2/read-adt.js';
import { distinctPatients, doubtAboutPatient } from '../../care/feeds/match-patient.js';
import { OutcomeError } from '../../fhir/outcome.js';
import type { FeedMessage } from '../../store/feed-store.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import { lookUpAdt, patientsWithIdentifiers } from './adt-lookup.js';
import type { FeedDecision } from './apply-adt.js';
import { applyCcdaCatching, type CcdaDecision, lookUpDocumentPatient, settleCcda } from './import-ccda.js';
import { type Hl7Processed, type Hl7ReceiverDeps, processHl7 } from './receive-hl7.js';

export interface PatientSummary {
  readonly id: string | undefined;
  readonly name: string;
  readonly birthDate: string | undefined;
  readonly gender: string | undefined;
  readonly identifiers: readonly string[];
}

export interface HeldMessage {
  readonly key: string;
  readonly type: string;
  readonly sender: string;
  readonly receivedAt: string;
  readonly reason: string;
  /** The patient as the message describes them. */
  readonly patient: PatientSummary;
  readonly visit: string | undefined;
  /** A40: the identifiers of the patient it retires. */
  readonly mergedIdentifiers: readonly string[];
  /** Known patients it may be about, among those the coordinator may see. */
  readonly candidates: readonly PatientSummary[];
  /** How many more candidates exist outside the coordinator's access. */
  readonly hiddenCandidates: number;
  /** The decisions that apply to it. */
  readonly actions: readonly ('link' | 'create' | 'merge' | 'dismiss')[];
}

/** Held messages shown at once: the oldest first (the review works from the longest waiting). */
export const REVIEW_PAGE = 100;

const nameOf = (p: Patient) => {
  const n = p.name?.[0];
  return [...(n?.given ?? []), n?.family].filter(Boolean).join(' ') || '(no name)';
};

const summaryOf = (p: Patient): PatientSummary => ({
  id: p.id,
  name: nameOf(p),
  birthDate: p.birthDate,
  gender: p.gender,
  identifiers: (p.identifier ?? []).map((i) => i.value ?? '').filter(Boolean),
});

function adtOf(message: FeedMessage, timeZone: string): AdtEvent | undefined {
  const parsed = parseHl7(message.raw);
  if (!parsed.ok) return undefined;
  const reading = readAdt(parsed.message, timeZone);
  return reading.ok ? reading.adt : undefined;
}

async function candidatesOf(system: FhirRepository, adt: AdtEvent, lookup: AdtLookup): Promise<Patient[]> {
  const found = [...lookup.byIdentifier, ...lookup.byDemographics];
  if (adt.event === 'A40') found.push(...(await patientsWithIdentifiers(system, mergedTokens(adt))));
  return [...new Map(found.map((p) => [p.id, p])).values()];
}

/** Which of these patients the requester may see (a read with their access that does not fail). */
async function visibleTo(requester: FhirRepository, patients: readonly Patient[]): Promise<Patient[]> {
  const out: Patient[] = [];
  for (const p of patients) {
    if (!p.id) continue;
    try {
      await requester.read('Patient', p.id);
      out.push(p);
    } catch {
      // Outside their access: counted, not shown.
    }
  }
  return out;
}

/** A held C-CDA document, as the review shows it (the patient it names and who it may be). */
async function heldDocument(
  deps: Pick<Hl7ReceiverDeps, 'repository' | 'clock'>,
  requester: FhirRepository,
  m: FeedMessage,
): Promise<HeldMessage | undefined> {
  const reading = readCcda(m.raw);
  if (!reading.ok) return undefined;
  const doc = reading.document;
  const found = await lookUpDocumentPatient(deps.repository, doc);
  const all = distinctPatients([...found.byIdentifier, ...found.byDemographics]);
  const candidates = await visibleTo(requester, all);
  const name = doc.patient.name?.[0];
  return {
    key: m.key,
    type: doc.type?.text ?? m.type,
    sender: m.sender,
    receivedAt: new Date(m.receivedAt).toISOString(),
    reason:
      doubtAboutPatient({ family: name?.family, birthDate: doc.patient.birthDate }, found) ??
      'Nothing is doubtful any more: it can be applied as it is',
    patient: { ...summaryOf(doc.patient), id: undefined },
    visit: undefined,
    mergedIdentifiers: [],
    candidates: candidates.map(summaryOf),
    hiddenCandidates: all.length - candidates.length,
    actions: ['link', 'create', 'dismiss'],
  };
}

export async function listHeldMessages(
  deps: Pick<Hl7ReceiverDeps, 'repository' | 'clock'>,
  requester: FhirRepository,
): Promise<HeldMessage[]> {
  const held = await deps.repository.store.feeds.listFeedMessages(0, REVIEW_PAGE, 'review');
  const out: HeldMessage[] = [];
  for (const m of held) {
    if (m.kind === 'ccda') {
      const document = await heldDocument(deps, requester, m);
      if (document) out.push(document);
      continue;
    }
    const adt = adtOf(m, deps.clock.timeZone);
    if (!adt) continue;
    const lookup = await lookUpAdt(deps.repository, adt);
    const all = await candidatesOf(deps.repository, adt, lookup);
    const candidates = await visibleTo(requester, all);
    const p = adt.patient;
    out.push({
      key: m.key,
      type: m.type,
      sender: m.sender,
      receivedAt: new Date(m.receivedAt).toISOString(),
      reason: doubtAbout(adt, lookup) ?? 'Nothing is doubtful any more: it can be applied as it is',
      patient: {
        id: undefined,
        name: [...p.given, p.family].filter(Boolean).join(' ') || '(no name)',
        birthDate: p.birthDate,
        gender: p.sex,
        identifiers: p.identifiers.map((i) => i.value),
      },
      visit: adt.visit?.number?.value,
      mergedIdentifiers: adt.mergedIdentifiers.map((i) => i.value),
      candidates: candidates.map(summaryOf),
      hiddenCandidates: all.length - candidates.length,
      actions: adt.event === 'A40' ? ['merge', 'dismiss'] : ['link', 'create', 'dismiss'],
    });
  }
  return out;
}

/** A message or document a feed sent that Careloop refused: kept as it came, with where and why. */
export interface RefusedMessage {
  readonly key: string;
  readonly kind: FeedMessage['kind'];
  readonly type: string;
  readonly sender: string;
  readonly receivedAt: string;
  readonly where: string;
  readonly reason: string;
}

/** Refused messages of the last days, the newest first (for the people who run the interfaces). */
export async function listRefusedMessages(
  deps: Pick<Hl7ReceiverDeps, 'repository' | 'clock'>,
  days: number,
): Promise<RefusedMessage[]> {
  const since = deps.clock.now() - days * 86_400_000;
  const refused = await deps.repository.store.feeds.listFeedMessages(since, REVIEW_PAGE, 'refused');
  return refused
    .map((m) => {
      const problem = m.detail?.startsWith('MSH') ? problemOfAck(m.detail) : undefined;
      const [where = '', ...why] = problem ? [problem.where, problem.text] : (m.detail ?? '').split(': ');
      return {
        key: m.key,
        kind: m.kind,
        type: m.type,
        sender: m.sender,
        receivedAt: new Date(m.receivedAt).toISOString(),
        where,
        reason: why.join(': ') || 'Refused',
      };
    })
    .reverse();
}

export type ReviewRequest =
  | { readonly action: 'link'; readonly patient: string }
  | { readonly action: 'create' }
  | { readonly action: 'merge' }
  | { readonly action: 'dismiss'; readonly reason: string };

/** Reads a decision from a request body, or says what is wrong with it. */
export function readReviewRequest(body: unknown): ReviewRequest {
  const b = (body ?? {}) as Record<string, unknown>;
  const action = b.action;
  if (action === 'link' && typeof b.patient === 'string' && /^[A-Za-z0-9\-.]{1,64}$/.test(b.patient))
    return { action, patient: b.patient };
  if (action === 'create' || action === 'merge') return { action };
  if (action === 'dismiss')
    return { action, reason: typeof b.reason === 'string' ? b.reason.slice(0, 500) : 'Dismissed by a coordinator' };
  throw new OutcomeError(
    'invalid',
    "The body must be {action: 'link', patient}, {action: 'create'}, {action: 'merge'} or {action: 'dismiss', reason}",
    {
      status: 400,
    },
  );
}

/** The same decisions for a held C-CDA document (no merge: documents do not merge patients). */
async function decideHeldDocument(
  deps: Pick<Hl7ReceiverDeps, 'repository' | 'clock' | 'baseUrl' | 'feedOrganization'>,
  requester: FhirRepository,
  message: FeedMessage,
  request: ReviewRequest,
): Promise<ReviewResult> {
  const feeds = deps.repository.store.feeds;
  if (request.action === 'merge') throw new OutcomeError('business-rule', 'Only an A40 is merged', { status: 422 });
  let decision: CcdaDecision | undefined;
  if (request.action === 'link')
    decision = {
      action: 'link',
      patient: JSON.parse((await requester.read('Patient', request.patient)).json ?? '{}') as Patient,
    };
  else if (request.action === 'create') decision = { action: 'create' };
  if (!(await feeds.claimFeedMessage(message.key, 'review', 'received')))
    throw new OutcomeError('conflict', 'Someone else decided this message first', { status: 409 });
  if (!decision) {
    await feeds.settleFeedMessage(message.key, 'dismissed', message.detail);
    return { outcome: 'dismissed', patients: [], note: request.action === 'dismiss' ? request.reason : undefined };
  }
  const done = await applyCcdaCatching(deps, message.raw, message.key, decision);
  if (done.outcome !== 'applied') {
    await feeds.settleFeedMessage(message.key, 'review', message.detail);
    const why = done.outcome === 'refused' ? done.problem.text : done.outcome === 'review' ? done.reason : 'unchanged';
    throw new OutcomeError('business-rule', why, { status: 422 });
  }
  await settleCcda(deps, message.key, done);
  return { outcome: 'applied', patients: [done.patient], note: undefined };
}

export interface ReviewResult {
  readonly outcome: Hl7Processed['outcome'];
  readonly patients: readonly string[];
  readonly note: string | undefined;
}

/**
 * Applies a coordinator's decision on one held message. The requester's own access decides which
 * patients they may link or merge (they must be able to open them); the writes are the feed's.
 */
export async function decideHeldMessage(
  deps: Pick<Hl7ReceiverDeps, 'repository' | 'clock' | 'baseUrl' | 'feedOrganization'>,
  requester: FhirRepository,
  key: string,
  request: ReviewRequest,
): Promise<ReviewResult> {
  const feeds = deps.repository.store.feeds;
  const message = await feeds.getFeedMessage(key);
  if (!message) throw new OutcomeError('not-found', 'No such feed message', { status: 404 });
  if (message.outcome !== 'review')
    throw new OutcomeError('conflict', `This message is no longer held (it is ${message.outcome})`, { status: 409 });
  if (message.kind === 'ccda') return decideHeldDocument(deps, requester, message, request);
  const adt = adtOf(message, deps.clock.timeZone);
  if (!adt) throw new OutcomeError('processing', 'The held message can no longer be read', { status: 422 });
  if ((request.action === 'merge') !== (adt.event === 'A40') && request.action !== 'dismiss')
    throw new OutcomeError(
      'business-rule',
      adt.event === 'A40' ? 'A merge is confirmed or dismissed' : 'Only an A40 is merged',
      { status: 422 },
    );
  let decision: FeedDecision | undefined;
  if (request.action === 'link') {
    // Their access decides whom they may link: a patient they cannot open is refused as unknown.
    const patient = JSON.parse((await requester.read('Patient', request.patient)).json ?? '{}') as Patient;
    decision = { action: 'link', patient };
  } else if (request.action === 'merge') {
    const lookup = await lookUpAdt(deps.repository, adt);
    const all = await candidatesOf(deps.repository, adt, lookup);
    if ((await visibleTo(requester, all)).length < all.length)
      throw new OutcomeError('forbidden', 'One of the patients of this merge is outside your access', { status: 403 });
    decision = { action: 'merge' };
  } else if (request.action === 'create') decision = { action: 'create' };
  // One decision per message, whoever else is deciding it now.
  if (!(await feeds.claimFeedMessage(key, 'review', 'received')))
    throw new OutcomeError('conflict', 'Someone else decided this message first', { status: 409 });
  if (request.action === 'dismiss') {
    await feeds.settleFeedMessage(key, 'dismissed', message.detail);
    return { outcome: 'dismissed', patients: [], note: request.reason };
  }
  const done = await processHl7(deps, message.raw, decision);
  // A decision that could not be applied leaves the message held, for another decision.
  if (done.outcome !== 'applied') {
    await feeds.settleFeedMessage(key, 'review', message.detail);
    throw new OutcomeError('business-rule', done.note ?? 'The message could not be applied', { status: 422 });
  }
  // The sender's answer stays the one it was given (a resend is answered the same).
  await feeds.settleFeedMessage(key, 'applied', message.detail);
  return { outcome: done.outcome, patients: done.patients, note: undefined };
}
