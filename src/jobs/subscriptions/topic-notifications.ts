// The parts of a topic subscription's life that are not events (Subscriptions R5 Backport IG):
// - the handshake: a requested subscription's endpoint is sent a `handshake` notification; when it
//   answers 2xx the subscription becomes active (and its heartbeats start), when it never does after
//   the retries, the subscription is set to error with the reason;
// - heartbeats: with a heartbeat period, a `heartbeat` notification whenever that long has passed
//   without any notification, so the subscriber knows the channel is alive;
// - the event count: each event gets the next number, kept on the Subscription (one writer at a
//   time: a conflicting write is retried with the fresh count).
import type { Subscription } from '@medplum/fhirtypes';
import { OutcomeError } from '../../fhir/outcome.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Store } from '../../store/store.js';
import type { JobHandler } from '../job-runner.js';
import {
  eventCountOf,
  lastSentOf,
  type NotificationType,
  notificationBundle,
  readTopicSubscription,
  withNotificationRecord,
} from './backport.js';
import { deliver } from './deliver-notification.js';

export const HANDSHAKE_JOB = 'subscription-handshake';
export const HEARTBEAT_JOB = 'subscription-heartbeat';

export interface HandshakePayload {
  readonly subscription: string;
  readonly versionId: number;
  readonly attempt: number;
}

export interface HeartbeatPayload {
  readonly subscription: string;
}

export interface TopicDeliveryOptions {
  readonly retryBaseMs: number;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  readonly baseUrl: string;
}

type Sub = Subscription & { id: string };

async function readSubscription(store: Store, id: string): Promise<{ sub: Sub; version: number } | undefined> {
  const current = await store.readCurrent('Subscription', id);
  if (!current?.json || current.deleted) return undefined;
  return { sub: JSON.parse(current.json) as Sub, version: current.versionId };
}

/**
 * Rewrites the Subscription from its current version (change applied by `edit`), again on a
 * conflicting write. Returns what was written.
 */
async function updateSubscription(
  store: Store,
  id: string,
  now: () => number,
  edit: (sub: Sub) => Sub,
): Promise<Sub | undefined> {
  const repo = createFhirRepository(store, { now });
  for (let attempt = 0; attempt < 8; attempt++) {
    const read = await readSubscription(store, id);
    if (!read) return undefined;
    const next = edit(read.sub);
    try {
      await repo.update('Subscription', id, next, { ifMatch: `W/"${read.version}"` });
      return next;
    } catch (err) {
      if (!(err instanceof OutcomeError && err.status === 412)) throw err;
    }
  }
  throw new Error(`Subscription/${id} kept changing: its notification record was not written`);
}

/** The next event number of a subscription (1 for its first event), recorded with the time. */
export async function countEvent(store: Store, id: string, now: () => number): Promise<number> {
  let count = 0;
  await updateSubscription(store, id, now, (sub) => {
    count = eventCountOf(sub) + 1;
    return withNotificationRecord(sub, count, now()) as Sub;
  });
  return count;
}

function body(sub: Sub, type: NotificationType, options: TopicDeliveryOptions, now: number): string | undefined {
  const topic = readTopicSubscription(sub);
  if (!topic) return undefined;
  return JSON.stringify(
    notificationBundle({
      subscription: sub,
      topic: topic.topic,
      baseUrl: options.baseUrl,
      type,
      eventsSinceStart: eventCountOf(sub),
      at: new Date(now).toISOString(),
      payload: topic.payload,
    }),
  );
}

async function scheduleHeartbeat(store: Store, sub: Sub, from: number): Promise<void> {
  const seconds = readTopicSubscription(sub)?.heartbeatSeconds;
  if (!seconds) return;
  const runAt = from + seconds * 1000;
  await store.enqueueJob({
    id: `${HEARTBEAT_JOB}:${sub.id}:${runAt}`,
    kind: HEARTBEAT_JOB,
    payload: { subscription: sub.id } satisfies HeartbeatPayload,
    runAt,
  });
}

export function handshakeHandler(options: TopicDeliveryOptions, now: () => number = () => Date.now()): JobHandler {
  return async (job, store) => {
    const p = job.payload as HandshakePayload;
    const read = await readSubscription(store, p.subscription);
    if (read?.sub.status !== 'requested') return { skipped: `subscription ${read?.sub.status ?? 'gone'}` };
    const text = body(read.sub, 'handshake', options, now());
    if (!text) return { skipped: 'not a topic subscription' };
    const problem = await deliver(read.sub, text, options.timeoutMs);
    const last = p.attempt >= options.maxAttempts;
    if (!problem) {
      const active = await updateSubscription(store, p.subscription, now, (sub) => {
        const { error: _cleared, ...rest } = withNotificationRecord(sub, eventCountOf(sub), now()) as Sub;
        return { ...rest, status: 'active' } as Sub;
      });
      if (active) await scheduleHeartbeat(store, active, now());
      return { handshake: 'accepted', attempt: p.attempt };
    }
    await updateSubscription(store, p.subscription, now, (sub) => ({
      ...sub,
      status: last ? 'error' : 'requested',
      error: `${new Date(now()).toISOString()}: the handshake failed, ${problem}${last ? '; no more retries' : `; retry ${p.attempt + 1} of ${options.maxAttempts} queued`}`,
    }));
    if (!last)
      await store.enqueueJob({
        id: `${HANDSHAKE_JOB}:${p.subscription}:${p.versionId}:${p.attempt + 1}`,
        kind: HANDSHAKE_JOB,
        payload: { ...p, attempt: p.attempt + 1 } satisfies HandshakePayload,
        runAt: now() + options.retryBaseMs * 2 ** (p.attempt - 1),
      });
    return { handshake: 'failed', attempt: p.attempt, problem };
  };
}

export function heartbeatHandler(options: TopicDeliveryOptions, now: () => number = () => Date.now()): JobHandler {
  return async (job, store) => {
    const p = job.payload as HeartbeatPayload;
    const read = await readSubscription(store, p.subscription);
    if (read?.sub.status !== 'active') return { skipped: `subscription ${read?.sub.status ?? 'gone'}` };
    const seconds = readTopicSubscription(read.sub)?.heartbeatSeconds;
    if (!seconds) return { skipped: 'no heartbeat' };
    const last = lastSentOf(read.sub) ?? 0;
    // Something was sent within the period: the next heartbeat is due a period after it.
    if (now() - last < seconds * 1000) {
      await scheduleHeartbeat(store, read.sub, last);
      return { heartbeat: 'not due' };
    }
    const text = body(read.sub, 'heartbeat', options, now());
    const problem = text ? await deliver(read.sub, text, options.timeoutMs) : 'not a topic subscription';
    const written = await updateSubscription(store, p.subscription, now, (sub) =>
      problem
        ? { ...sub, error: `${new Date(now()).toISOString()}: a heartbeat failed, ${problem}` }
        : (withNotificationRecord(sub, eventCountOf(sub), now()) as Sub),
    );
    if (written) await scheduleHeartbeat(store, written, now());
    return { heartbeat: problem ? 'failed' : 'sent' };
  };
}
