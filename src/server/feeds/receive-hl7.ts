// One HL7 v2 message from a hospital feed, received: read, matched to a patient, applied as one FHIR
// transaction (apply-adt.ts) that also keeps it in the feed log and audits it, and answered with its
// acknowledgement. A message resent with the same control id gets the answer it got the first time
// and changes nothing; the same message racing on several connections is applied once. Each message is in the audit log (kind hl7v2). The feed review (feed-review.ts) and
// `careloop hl7 replay` apply a kept message again through `processHl7`.
import { createHash } from 'node:crypto';
import type { AuditTrail } from '../../access/audit/audit-trail.js';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { buildAck, type Hl7Message, parseHl7 } from '../../care/feeds/hl7v2/hl7-message.js';
import { readAdt } from '../../care/feeds/hl7v2/read-adt.js';
import type { FeedMessage, FeedOutcome } from '../../store/feed-store.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { StoreWriter } from '../../store/store.js';
import { type AdtApplied, applyAdt, type FeedDecision } from './apply-adt.js';

export interface Hl7ReceiverDeps {
  readonly repository: FhirRepository;
  readonly trail: AuditTrail;
  readonly clock: ClinicClock;
  readonly baseUrl: string;
  readonly feedOrganization?: string | undefined;
}

export interface Hl7Processed {
  readonly outcome: Exclude<FeedOutcome, 'received'>;
  readonly ack: string;
  readonly patients: readonly string[];
  /** Why it was refused or held. */
  readonly note: string | undefined;
}

/** Who sent a message, its control id and its type, from its header (what is there of it). */
export function headerOf(message: Hl7Message | undefined, from: string) {
  const msh = message?.header;
  return {
    sender: msh ? [msh.getComponent(3, 1), msh.getComponent(4, 1)].filter(Boolean).join('^') : from,
    controlId: msh?.getField(10)?.toString() ?? '',
    type: msh ? `${msh.getComponent(9, 1)}^${msh.getComponent(9, 2)}` : 'unparsed',
  };
}

/** Thrown inside an applying transaction when the same message was kept meanwhile (a resend raced it). */
export class AlreadyReceivedError extends Error {}

/**
 * Reads and applies one message (with a coordinator's decision, for a held one) and builds its ACK.
 * `commit` runs inside the applying transaction, with the ACK: what it writes (the feed log's record,
 * the audit entry) commits with the message's changes, and what it throws undoes them.
 */
export async function processHl7(
  deps: Pick<Hl7ReceiverDeps, 'repository' | 'clock' | 'baseUrl' | 'feedOrganization'>,
  text: string,
  decision?: FeedDecision,
  commit?: (tx: StoreWriter, ack: string, patients: readonly string[]) => Promise<void>,
): Promise<Hl7Processed> {
  const parsed = parseHl7(text);
  if (!parsed.ok)
    return {
      outcome: 'refused',
      ack: buildAck(undefined, 'AE', { segment: 'MSH', field: undefined, code: '100', text: parsed.reason }),
      patients: [],
      note: parsed.reason,
    };
  const reading = readAdt(parsed.message, deps.clock.timeZone);
  if (!reading.ok)
    return {
      outcome: 'refused',
      ack: buildAck(parsed.message, reading.ack, reading.problem),
      patients: [],
      note: reading.problem.text,
    };
  let applied: AdtApplied;
  const accepted = buildAck(parsed.message, 'AA');
  try {
    applied = await applyAdt(
      deps,
      reading.adt,
      decision,
      commit ? (tx, patients) => commit(tx, accepted, patients) : undefined,
    );
  } catch (err) {
    if (err instanceof AlreadyReceivedError) throw err;
    // Nothing of it was written (one transaction); the sender may send it again.
    const text = err instanceof Error ? err.message : String(err);
    applied = { kind: 'refused', problem: { segment: 'MSH', field: undefined, code: '207', text } };
  }
  switch (applied.kind) {
    case 'applied':
      return { outcome: 'applied', ack: accepted, patients: applied.patientIds, note: undefined };
    // Held for a coordinator (a doubtful patient, a merge): accepted, nothing clinical written yet.
    case 'review':
      return { outcome: 'review', ack: buildAck(parsed.message, 'AA'), patients: [], note: applied.reason };
    case 'refused':
      return {
        outcome: 'refused',
        ack: buildAck(parsed.message, 'AE', applied.problem),
        patients: [],
        note: applied.problem.text,
      };
  }
}

export function createHl7Receiver(deps: Hl7ReceiverDeps): (text: string, from: string) => Promise<string> {
  const { repository, trail, clock } = deps;
  const feeds = repository.store.feeds;

  /** The answer to a message kept before: its first ACK, or "send it again" while it is applied. */
  const answerSeen = (seen: FeedMessage | undefined, message: Hl7Message | undefined) =>
    seen?.detail?.startsWith('MSH')
      ? seen.detail
      : buildAck(message, 'AE', {
          segment: 'MSH',
          field: 10,
          code: '207',
          text: 'This message is being applied: send it again for its acknowledgement',
        });

  return async (text, from) => {
    const receivedAt = clock.now();
    const parsed = parseHl7(text);
    const message = parsed.ok ? parsed.message : undefined;
    const { sender, controlId, type } = headerOf(message, from);
    // Without a control id the message cannot be recognised again: kept under a digest of its text.
    const digest = `sha256:${createHash('sha256').update(text).digest('hex')}`;
    let key = `${sender}|${controlId || digest}`;
    let seen = await feeds.getFeedMessage(key);
    // The same control id on a different message is no resend (a sender reusing ids, as test
    // feeds do): it is kept and applied under its own digest.
    if (seen && controlId && seen.raw !== text) {
      key = `${sender}|${controlId}|${digest}`;
      seen = await feeds.getFeedMessage(key);
    }
    // Seen before: its first answer again, nothing applied twice.
    if (seen) return answerSeen(seen, message);
    const record = (outcome: FeedOutcome, ack: string) => ({
      key,
      kind: 'hl7v2' as const,
      sender,
      controlId,
      type,
      receivedAt,
      raw: text,
      outcome,
      detail: ack,
    });
    const audit = (outcome: FeedOutcome, patients: readonly string[], note: string | undefined) => ({
      recorded: receivedAt,
      kind: 'hl7v2',
      action: outcome === 'applied' ? ('C' as const) : ('E' as const),
      status: outcome === 'refused' ? 400 : 200,
      username: `feed ${sender}`.slice(0, 120),
      address: from,
      entity: `hl7v2/${type}`,
      patients: [...patients],
      ...(note ? { detail: note } : {}),
    });
    let done: Hl7Processed;
    try {
      // Applied: the message's changes, its place in the feed log and its audit entry commit
      // together, in one transaction (a crash leaves none of them; the hospital sends it again).
      done = await processHl7(deps, text, undefined, async (tx, ack, patients) => {
        if (!(await tx.feeds.receiveFeedMessage(record('applied', ack)))) throw new AlreadyReceivedError();
        await tx.appendAudit([audit('applied', patients, undefined)]);
      });
    } catch (err) {
      if (!(err instanceof AlreadyReceivedError)) throw err;
      // The same message on another connection got there first: its answer.
      return answerSeen(await feeds.getFeedMessage(key), message);
    }
    if (done.outcome === 'applied') return done.ack;
    // Refused or held: nothing clinical was written; the message is kept with its outcome.
    if (!(await feeds.receiveFeedMessage(record(done.outcome, done.ack))))
      return answerSeen(await feeds.getFeedMessage(key), message);
    await trail.record(audit(done.outcome, done.patients, done.note));
    return done.ack;
  };
}
