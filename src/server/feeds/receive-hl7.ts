// One HL7 v2 message from a hospital feed, received: kept in the feed log, read, matched to a
// patient, applied as one FHIR transaction (apply-adt.ts), and answered with its acknowledgement. A
// message resent with the same control id gets the answer it got the first time and changes
// nothing. Each message is in the audit log (kind hl7v2). The feed review (feed-review.ts) and
// `careloop hl7 replay` apply a kept message again through `processHl7`.
import { createHash } from 'node:crypto';
import type { AuditTrail } from '../../access/audit/audit-trail.js';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { buildAck, type Hl7Message, parseHl7 } from '../../care/feeds/hl7v2/hl7-message.js';
import { readAdt } from '../../care/feeds/hl7v2/read-adt.js';
import type { FeedOutcome } from '../../store/feed-store.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import { type AdtApplied, applyAdt, type FeedDecision } from './apply-adt.js';

export interface Hl7ReceiverDeps {
  readonly repository: FhirRepository;
  readonly trail: AuditTrail;
  readonly clock: ClinicClock;
  readonly baseUrl: string;
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

/** Reads and applies one message (with a coordinator's decision, for a held one) and builds its ACK. */
export async function processHl7(
  deps: Pick<Hl7ReceiverDeps, 'repository' | 'clock' | 'baseUrl'>,
  text: string,
  decision?: FeedDecision,
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
  try {
    applied = await applyAdt(deps, reading.adt, decision);
  } catch (err) {
    // Nothing of it was written (one transaction); the sender may send it again.
    const text = err instanceof Error ? err.message : String(err);
    applied = { kind: 'refused', problem: { segment: 'MSH', field: undefined, code: '207', text } };
  }
  switch (applied.kind) {
    case 'applied':
      return { outcome: 'applied', ack: buildAck(parsed.message, 'AA'), patients: applied.patientIds, note: undefined };
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

  return async (text, from) => {
    const receivedAt = clock.now();
    const parsed = parseHl7(text);
    const message = parsed.ok ? parsed.message : undefined;
    const { sender, controlId, type } = headerOf(message, from);
    // Without a control id the message cannot be recognised again: kept under a digest of its text.
    const digest = `sha256:${createHash('sha256').update(text).digest('hex')}`;
    let key = `${sender}|${controlId || digest}`;
    const receive = () =>
      feeds.receiveFeedMessage({
        key,
        kind: 'hl7v2',
        sender,
        controlId,
        type,
        receivedAt,
        raw: text,
        outcome: 'received',
        detail: undefined,
      });
    let fresh = await receive();
    // The same control id on a different message is no resend (a sender reusing ids, as test
    // feeds do): it is kept and applied under its own digest.
    if (!fresh && controlId && (await feeds.getFeedMessage(key))?.raw !== text) {
      key = `${sender}|${controlId}|${digest}`;
      fresh = await receive();
    }
    if (!fresh) {
      // Seen before: its first answer again, nothing applied twice. Still being applied (the same
      // message on two connections at once): the sender is asked to send it again.
      const seen = await feeds.getFeedMessage(key);
      if (seen?.detail?.startsWith('MSH')) return seen.detail;
      return buildAck(message, 'AE', {
        segment: 'MSH',
        field: 10,
        code: '207',
        text: 'This message is being applied: send it again for its acknowledgement',
      });
    }
    const done = await processHl7(deps, text);
    await feeds.settleFeedMessage(key, done.outcome, done.ack);
    await trail.record({
      recorded: receivedAt,
      kind: 'hl7v2',
      action: done.outcome === 'applied' ? 'C' : 'E',
      status: done.outcome === 'refused' ? 400 : 200,
      username: `feed ${sender}`.slice(0, 120),
      address: from,
      entity: `hl7v2/${type}`,
      patients: [...done.patients],
      ...(done.note ? { detail: done.note } : {}),
    });
    return done.ack;
  };
}
