// One HL7 v2 message from a hospital feed, received: kept in the feed log, read, matched to a
// patient, applied as one FHIR transaction (the transition engine's hooks run on the Encounter), and
// answered with its acknowledgement. A message resent with the same control id gets the answer it
// got the first time and changes nothing. Each message is in the audit log (kind hl7v2).
import { createHash } from 'node:crypto';
import type { Encounter, Patient } from '@medplum/fhirtypes';
import type { AuditTrail } from '../../access/audit/audit-trail.js';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { buildAck, type Hl7Message, parseHl7 } from '../../care/feeds/hl7v2/hl7-message.js';
import { type AdtLookup, patientTokens, planAdt, visitToken } from '../../care/feeds/hl7v2/plan-adt.js';
import { readAdt } from '../../care/feeds/hl7v2/read-adt.js';
import type { FeedOutcome } from '../../store/feed-store.js';
import { newResourceId } from '../../store/ids/new-resource-id.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';

export interface Hl7ReceiverDeps {
  readonly repository: FhirRepository;
  readonly trail: AuditTrail;
  readonly clock: ClinicClock;
  readonly baseUrl: string;
}

const resourcesOf = <T>(page: { matches: readonly { json: string | undefined }[] }): T[] =>
  page.matches.flatMap((m) => (m.json ? [JSON.parse(m.json) as T] : []));

export function createHl7Receiver(deps: Hl7ReceiverDeps): (text: string, from: string) => Promise<string> {
  const { repository, trail, clock } = deps;
  const feeds = repository.store.feeds;

  async function lookUp(adt: Parameters<typeof planAdt>[0]): Promise<AdtLookup> {
    const byIdentifier = resourcesOf<Patient>(
      (await repository.search('Patient', [['identifier', patientTokens(adt).join(',')]])).page,
    );
    const { family, given, birthDate } = adt.patient;
    // Demographics only matter when no identifier matched (planAdt doubts a stranger by them).
    const byDemographics =
      byIdentifier.length === 0 && family && given[0] && birthDate
        ? resourcesOf<Patient>(
            (
              await repository.search('Patient', [
                ['family:exact', family],
                ['given:exact', given[0]],
                ['birthdate', birthDate],
              ])
            ).page,
          )
        : [];
    const visit = visitToken(adt);
    const encounter = visit
      ? resourcesOf<Encounter>((await repository.search('Encounter', [['identifier', visit]])).page)[0]
      : undefined;
    return { byIdentifier, byDemographics, encounter };
  }

  return async (text, from) => {
    const receivedAt = clock.now();
    const parsed = parseHl7(text);
    const message: Hl7Message | undefined = parsed.ok ? parsed.message : undefined;
    const msh = message?.header;
    const sender = msh ? [msh.getComponent(3, 1), msh.getComponent(4, 1)].filter(Boolean).join('^') : from;
    const controlId = msh?.getField(10)?.toString() ?? '';
    const type = msh ? `${msh.getComponent(9, 1)}^${msh.getComponent(9, 2)}` : 'unparsed';
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
    const settle = async (outcome: FeedOutcome, ack: string, patients: string[], note?: string) => {
      await feeds.settleFeedMessage(key, outcome, ack);
      await trail.record({
        recorded: receivedAt,
        kind: 'hl7v2',
        action: outcome === 'applied' ? 'C' : 'E',
        status: outcome === 'refused' ? 400 : 200,
        username: `feed ${sender}`.slice(0, 120),
        address: from,
        entity: `hl7v2/${type}`,
        patients,
        ...(note ? { detail: note } : {}),
      });
      return ack;
    };
    if (!parsed.ok)
      return settle(
        'refused',
        buildAck(undefined, 'AE', { segment: 'MSH', field: undefined, code: '100', text: parsed.reason }),
        [],
        parsed.reason,
      );
    const reading = readAdt(parsed.message, clock.timeZone);
    if (!reading.ok)
      return settle('refused', buildAck(parsed.message, reading.ack, reading.problem), [], reading.problem.text);
    const plan = planAdt(reading.adt, await lookUp(reading.adt), newResourceId);
    if (plan.kind === 'refuse')
      return settle(
        'refused',
        buildAck(parsed.message, 'AE', { segment: 'PV1', field: 19, code: '101', text: plan.reason }),
        [],
        plan.reason,
      );
    // Held for a coordinator (a doubtful patient, a merge): accepted, nothing clinical written yet.
    if (plan.kind === 'review') return settle('review', buildAck(parsed.message, 'AA'), [], plan.reason);
    try {
      await repository.processBundle(plan.bundle, deps.baseUrl);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return settle(
        'refused',
        buildAck(parsed.message, 'AE', { segment: 'MSH', field: undefined, code: '207', text: reason }),
        [plan.patientId],
        reason,
      );
    }
    return settle('applied', buildAck(parsed.message, 'AA'), [plan.patientId]);
  };
}
