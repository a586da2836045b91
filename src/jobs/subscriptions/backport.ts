// Topic-based subscriptions for R4, as the Subscriptions R5 Backport IG (STU 1.1,
// hl7.org/fhir/uv/subscriptions-backport) profiles them: `Subscription.criteria` names a topic
// (src/care/notifications/adt-topics.ts), its filter is the `backport-filter-criteria` extension on
// `criteria` (a search on the topic's resource), the payload content (empty, id-only,
// full-resource) is the `backport-payload-content` extension on `channel.payload`, and the heartbeat
// period (seconds) the `backport-heartbeat-period` extension on `channel`. Every notification is a
// `history` Bundle whose first entry is the subscription status (a Parameters resource,
// backport-subscription-status-r4): handshake, heartbeat or event-notification, with the number of
// events since the subscription started. Careloop keeps that count and the time of the last
// notification on the Subscription (two extensions of its own).
import type { Bundle, BundleEntry, Extension, Parameters, ParametersParameter, Subscription } from '@medplum/fhirtypes';
import { type AdtTopic, topicOf } from '../../care/notifications/adt-topics.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { parseSearchRequest } from '../../fhir/search/parse-search-request.js';

const IG = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';
export const FILTER_CRITERIA = `${IG}/backport-filter-criteria`;
export const PAYLOAD_CONTENT = `${IG}/backport-payload-content`;
export const HEARTBEAT_PERIOD = `${IG}/backport-heartbeat-period`;
const STATUS_PROFILE = `${IG}/backport-subscription-status-r4`;
const NOTIFICATION_PROFILE = `${IG}/backport-subscription-notification-r4`;
/** Careloop's record of a topic subscription's notifications: how many events, and when it last sent. */
export const EVENT_COUNT = 'http://careloop.org/fhir/StructureDefinition/subscription-event-count';
export const LAST_SENT = 'http://careloop.org/fhir/StructureDefinition/subscription-last-sent';

export type PayloadContent = 'empty' | 'id-only' | 'full-resource';
export type NotificationType = 'handshake' | 'heartbeat' | 'event-notification';

export interface TopicSubscription {
  readonly topic: AdtTopic;
  readonly type: string;
  readonly query: [string, string][];
  readonly payload: PayloadContent;
  readonly heartbeatSeconds: number | undefined;
}

const invalid = (message: string, expression: string) =>
  new OutcomeError('business-rule', message, { status: 422, expression: [expression] });

type WithPrimitiveExtensions = Subscription & {
  _criteria?: { extension?: Extension[] };
  channel: Subscription['channel'] & { _payload?: { extension?: Extension[] } };
};

/** Whether criteria name a topic (a canonical URL) rather than a search. */
export const isTopicCriteria = (criteria: string | undefined): boolean => /^https?:\/\//.test(criteria ?? '');

/** The topic subscription a Subscription is, undefined when its criteria is a search; 422 when malformed. */
export function readTopicSubscription(sub: Subscription): TopicSubscription | undefined {
  if (!isTopicCriteria(sub.criteria)) return undefined;
  const topic = topicOf(sub.criteria);
  if (!topic)
    throw invalid(
      `Subscription.criteria names no topic Careloop offers (see the CapabilityStatement): ${sub.criteria}`,
      'Subscription.criteria',
    );
  const s = sub as WithPrimitiveExtensions;
  const filters = (s._criteria?.extension ?? [])
    .filter((e) => e.url === FILTER_CRITERIA)
    .map((e) => e.valueString ?? '');
  const query: [string, string][] = [];
  for (const filter of filters) {
    const [type, search = ''] = filter.split('?', 2);
    if (type !== topic.resourceType)
      throw invalid(
        `A filter of the ${topic.code} topic searches ${topic.resourceType}, not '${type}'`,
        'Subscription.criteria',
      );
    for (const [k, v] of new URLSearchParams(search)) {
      if (!topic.filters.includes(k))
        throw invalid(
          `The ${topic.code} topic filters by ${topic.filters.join(', ')}, not '${k}'`,
          'Subscription.criteria',
        );
      query.push([k, v]);
    }
  }
  // A filter that does not parse as a search is refused now, not at the first event.
  parseSearchRequest(topic.resourceType, query);
  const content = (s.channel._payload?.extension ?? []).find((e) => e.url === PAYLOAD_CONTENT)?.valueCode ?? 'id-only';
  if (content !== 'empty' && content !== 'id-only' && content !== 'full-resource')
    throw invalid(
      `The payload content is empty, id-only or full-resource, not '${content}'`,
      'Subscription.channel.payload',
    );
  const heartbeat = (sub.channel.extension ?? []).find((e) => e.url === HEARTBEAT_PERIOD)?.valueUnsignedInt;
  return { topic, type: topic.resourceType, query, payload: content, heartbeatSeconds: heartbeat || undefined };
}

export function eventCountOf(sub: Subscription): number {
  return sub.extension?.find((e) => e.url === EVENT_COUNT)?.valueInteger ?? 0;
}

export function lastSentOf(sub: Subscription): number | undefined {
  const at = sub.extension?.find((e) => e.url === LAST_SENT)?.valueInstant;
  return at ? Date.parse(at) : undefined;
}

/** The Subscription with its event count and last notification time set. */
export function withNotificationRecord(sub: Subscription, count: number, sentAt: number): Subscription {
  return {
    ...sub,
    extension: [
      ...(sub.extension ?? []).filter((e) => e.url !== EVENT_COUNT && e.url !== LAST_SENT),
      { url: EVENT_COUNT, valueInteger: count },
      { url: LAST_SENT, valueInstant: new Date(sentAt).toISOString() },
    ],
  };
}

export interface NotificationInput {
  readonly subscription: Subscription & { id: string };
  readonly topic: AdtTopic;
  readonly baseUrl: string;
  readonly type: NotificationType;
  readonly eventsSinceStart: number;
  readonly at: string;
  /** The event (event-notification only): its number, and the resource it is about. */
  readonly event?: {
    readonly number: number;
    readonly resourceType: string;
    readonly id: string;
    /** The version's JSON, for full-resource payloads. */
    readonly json: string | undefined;
  };
  readonly payload: PayloadContent;
}

/** The notification bundle of the backport's R4 profile. */
export function notificationBundle(input: NotificationInput): Bundle {
  const base = input.baseUrl.replace(/\/$/, '');
  const subscriptionUrl = `${base}/Subscription/${input.subscription.id}`;
  const event = input.event;
  const focusUrl = event ? `${base}/${event.resourceType}/${event.id}` : undefined;
  const parameter: ParametersParameter[] = [
    { name: 'subscription', valueReference: { reference: subscriptionUrl } },
    { name: 'topic', valueCanonical: input.topic.url },
    { name: 'status', valueCode: input.type === 'handshake' ? 'requested' : 'active' },
    { name: 'type', valueCode: input.type },
    { name: 'events-since-subscription-start', valueString: String(input.eventsSinceStart) },
  ];
  if (event)
    parameter.push({
      name: 'notification-event',
      part: [
        { name: 'event-number', valueString: String(event.number) },
        { name: 'timestamp', valueInstant: input.at },
        // An empty payload names nothing of the record (the IG: no focus with empty content).
        ...(input.payload !== 'empty' && focusUrl ? [{ name: 'focus', valueReference: { reference: focusUrl } }] : []),
      ],
    });
  const status: Parameters = { resourceType: 'Parameters', meta: { profile: [STATUS_PROFILE] }, parameter };
  const entries: BundleEntry[] = [
    {
      fullUrl: `urn:uuid:${crypto.randomUUID()}`,
      resource: status,
      request: { method: 'GET', url: `${subscriptionUrl}/$status` },
      response: { status: '200' },
    },
  ];
  if (event && focusUrl && input.payload !== 'empty')
    entries.push({
      fullUrl: focusUrl,
      ...(input.payload === 'full-resource' && event.json ? { resource: JSON.parse(event.json) } : {}),
      request: { method: 'PUT', url: `${event.resourceType}/${event.id}` },
      response: { status: '200' },
    });
  return {
    resourceType: 'Bundle',
    meta: { profile: [NOTIFICATION_PROFILE] },
    type: 'history',
    timestamp: input.at,
    entry: entries,
  };
}
