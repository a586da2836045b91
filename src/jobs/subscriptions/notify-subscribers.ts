// Delivering notifications (FHIR R4 rest-hook): after each commit, every active Subscription whose
// criteria type matches a written resource gets a durable job; the job checks the criteria against
// that version under the owner's access (the same search the server runs for them, limited to its
// id, so nothing the owner may not see is sent) and POSTs it to the endpoint
// (the resource as the body when channel.payload is set, an empty POST otherwise, with the
// channel's headers). A failed delivery is retried with exponential backoff; each failure is
// recorded on the Subscription (Subscription.error), and after the last try it is set to error.
import type { Encounter, Subscription } from '@medplum/fhirtypes';
import { isTopicEvent } from '../../care/notifications/adt-topics.js';
import { parseSearchRequest } from '../../fhir/search/parse-search-request.js';
import type { AccessFilter } from '../../fhir/search/search-request.js';
import { readEveryPage } from '../../store/read-every-page.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { WriteEvent } from '../../store/repository/repository-context.js';
import type { Store } from '../../store/store.js';
import type { JobHandler } from '../job-runner.js';
import { isTopicCriteria, notificationBundle, readTopicSubscription } from './backport.js';
import { deliver } from './deliver-notification.js';
import { parseCriteria } from './subscription-hook.js';
import { ownerAccessFilter, ownerOf } from './subscription-owner.js';
import { countEvent, HANDSHAKE_JOB } from './topic-notifications.js';

/** Whether a (possibly earlier) version carries a label the owner's filter hides in its patient's record. */
function hidesVersion(access: AccessFilter, json: string, patient: string | undefined): boolean {
  const labels = (JSON.parse(json) as { meta?: { security?: { system?: string; code?: string }[] } }).meta?.security;
  return (labels ?? []).some((l) =>
    (access.hiddenLabels ?? []).some(
      (h) => h.system === l.system && h.code === l.code && !h.exceptPatients.includes(patient ?? ''),
    ),
  );
}

export const NOTIFY_JOB = 'subscription-notify';

export interface NotifyPayload {
  readonly subscription: string;
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: number;
  readonly attempt: number;
  /** A topic event's number, fixed at its first attempt (a retry tells the same event). */
  readonly eventNumber?: number;
}

export interface DeliveryOptions {
  /** Delay before retry n (1-based) in ms: base × 2^(n-1). */
  readonly retryBaseMs: number;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  /** The server's FHIR base, for the URLs in topic notifications. */
  readonly baseUrl: string;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  retryBaseMs: 30_000,
  maxAttempts: 6,
  timeoutMs: 10_000,
  baseUrl: 'http://localhost/fhir',
};

const jobId = (p: NotifyPayload) =>
  `${NOTIFY_JOB}:${p.subscription}:${p.resourceType}/${p.id}/${p.versionId}:${p.attempt}`;

/** Keeps the active subscriptions in memory and queues a job per subscription and matching write. */
export function createSubscriptionDispatcher(store: Store, options: { refreshMs?: number } = {}) {
  let byType = new Map<string, string[]>();
  let loading: Promise<void> | undefined;
  async function refresh(): Promise<void> {
    // Requested ones too: a topic subscription turns active in a job (its handshake) whose write this
    // server's dispatcher does not see; the job checks the status when the event is delivered.
    const active = await readEveryPage(
      store,
      parseSearchRequest('Subscription', [['status', 'active,requested']]).request,
    );
    const next = new Map<string, string[]>();
    for (const m of active) {
      const sub = JSON.parse(m.json as string) as Subscription;
      try {
        const { type } = readTopicSubscription(sub) ?? parseCriteria(sub.criteria);
        next.set(type, [...(next.get(type) ?? []), m.id]);
      } catch {
        // Criteria that no longer parse match nothing.
      }
    }
    byType = next;
  }
  const reload = () => {
    loading ??= refresh()
      .catch(() => undefined)
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  const timer = setInterval(() => void reload(), options.refreshMs ?? 30_000);
  timer.unref();
  return {
    ready: reload(),
    /** After a commit: queue what it may have to notify (settles once queued; delivery is not awaited). */
    onCommit(events: readonly WriteEvent[], poke: () => void): Promise<void> {
      if (events.some((e) => e.resourceType === 'Subscription')) void reload();
      // A topic subscription just requested: its handshake, once per version written.
      const handshakes = events.flatMap((e) => {
        const sub = e.resource as Subscription | undefined;
        if (e.resourceType !== 'Subscription' || sub?.status !== 'requested' || !isTopicCriteria(sub.criteria))
          return [];
        return [{ subscription: e.id, attempt: 1, versionId: Number(sub.meta?.versionId ?? 0) }];
      });
      const jobs: NotifyPayload[] = [];
      for (const e of events) {
        if (e.interaction === 'delete' || !e.resource) continue;
        const versionId = Number(e.resource.meta?.versionId ?? 0);
        for (const subscription of byType.get(e.resourceType) ?? [])
          jobs.push({ subscription, resourceType: e.resourceType, id: e.id, versionId, attempt: 1 });
      }
      if (jobs.length === 0 && handshakes.length === 0) return Promise.resolve();
      return Promise.all([
        ...jobs.map((p) => store.enqueueJob({ id: jobId(p), kind: NOTIFY_JOB, payload: p }).catch(() => undefined)),
        ...handshakes.map((h) =>
          store
            .enqueueJob({ id: `${HANDSHAKE_JOB}:${h.subscription}:${h.versionId}:1`, kind: HANDSHAKE_JOB, payload: h })
            .catch(() => undefined),
        ),
      ]).then(poke);
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}

export function notifyHandler(
  options: DeliveryOptions = DEFAULT_DELIVERY,
  now: () => number = () => Date.now(),
): JobHandler {
  return async (job, store) => {
    const p = job.payload as NotifyPayload;
    const current = await store.readCurrent('Subscription', p.subscription);
    if (!current?.json || current.deleted) return { skipped: 'subscription gone' };
    const sub = JSON.parse(current.json) as Subscription & { id: string };
    if (sub.status !== 'active') return { skipped: `subscription ${sub.status}` };
    const topic = readTopicSubscription(sub);
    const { type, query } = topic ?? parseCriteria(sub.criteria);
    // Subscriptions from before owners were recorded came from imports (system) only.
    const owner = ownerOf(sub);
    const access = owner ? await ownerAccessFilter(store, owner, now()) : undefined;
    if (access === null) return { skipped: 'owner no longer active' };
    const { request } = parseSearchRequest(type, [...query, ['_id', p.id]]);
    const match = await store.search({ ...request, ...(access ? { access } : {}) });
    if (match.matches.length === 0) return { matched: false };
    const version = await store.readVersion(p.resourceType, p.id, p.versionId);
    if (access && version?.json && hidesVersion(access, version.json, version.patient)) return { matched: false };
    let body = sub.channel.payload ? (version?.json ?? '') : undefined;
    let eventNumber = p.eventNumber;
    if (topic) {
      // Only the topic's event (an admission, a discharge) is told, not every change of the stay.
      const previous = p.versionId > 1 ? await store.readVersion(p.resourceType, p.id, p.versionId - 1) : undefined;
      const parse = (v: typeof version) => (v?.json ? (JSON.parse(v.json) as Encounter) : undefined);
      const now_ = parse(version);
      if (!now_ || !isTopicEvent(topic.topic, now_, parse(previous)))
        return { matched: false, topic: topic.topic.code };
      eventNumber ??= await countEvent(store, sub.id, now);
      body = JSON.stringify(
        notificationBundle({
          subscription: sub,
          topic: topic.topic,
          baseUrl: options.baseUrl,
          type: 'event-notification',
          eventsSinceStart: eventNumber,
          at: new Date(now()).toISOString(),
          event: { number: eventNumber, resourceType: p.resourceType, id: p.id, json: version?.json },
          payload: topic.payload,
        }),
      );
    }
    const problem = await deliver(sub, body, options.timeoutMs);
    if (!problem) return { delivered: true, attempt: p.attempt };
    const last = p.attempt >= options.maxAttempts;
    const repo = createFhirRepository(store, { now });
    await repo.update('Subscription', sub.id, {
      ...sub,
      status: last ? 'error' : 'active',
      error: `${new Date(now()).toISOString()}: delivery of ${p.resourceType}/${p.id} failed, ${problem}${last ? '; no more retries' : `; retry ${p.attempt + 1} of ${options.maxAttempts} queued`}`,
    });
    if (!last) {
      const next = { ...p, attempt: p.attempt + 1, ...(eventNumber !== undefined ? { eventNumber } : {}) };
      await store.enqueueJob({
        id: jobId(next),
        kind: NOTIFY_JOB,
        payload: next,
        runAt: now() + options.retryBaseMs * 2 ** (p.attempt - 1),
      });
    }
    return { delivered: false, attempt: p.attempt, problem };
  };
}
