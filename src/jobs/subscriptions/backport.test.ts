import type { Parameters, Subscription } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { topicOf } from '../../care/notifications/adt-topics.js';
import { notificationBundle, readTopicSubscription } from './backport.js';

const IG = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';
const sub = (criteria: string, extra: Record<string, unknown> = {}): Subscription =>
  ({
    resourceType: 'Subscription',
    id: 's1',
    status: 'requested',
    reason: 'r',
    criteria,
    channel: { type: 'rest-hook', endpoint: 'https://ehr.example/hook' },
    ...extra,
  }) as Subscription;
const DISCHARGE = 'http://careloop.org/fhir/SubscriptionTopic/discharge';

describe('readTopicSubscription', () => {
  it('leaves a search subscription alone', () => {
    expect(readTopicSubscription(sub('Task?owner=Practitioner/x'))).toBeUndefined();
  });

  it('reads the topic, its filter, payload and heartbeat', () => {
    const read = readTopicSubscription(
      sub(DISCHARGE, {
        _criteria: {
          extension: [{ url: `${IG}/backport-filter-criteria`, valueString: 'Encounter?patient=Patient/p1' }],
        },
        channel: {
          type: 'rest-hook',
          extension: [{ url: `${IG}/backport-heartbeat-period`, valueUnsignedInt: 60 }],
          _payload: { extension: [{ url: `${IG}/backport-payload-content`, valueCode: 'full-resource' }] },
        },
      }),
    );
    expect(read).toMatchObject({
      type: 'Encounter',
      query: [['patient', 'Patient/p1']],
      payload: 'full-resource',
      heartbeatSeconds: 60,
    });
  });

  it.each([
    ['an unknown topic', sub('http://careloop.org/fhir/SubscriptionTopic/transfer')],
    [
      'a filter on another resource',
      sub(DISCHARGE, {
        _criteria: { extension: [{ url: `${IG}/backport-filter-criteria`, valueString: 'Observation?patient=p1' }] },
      }),
    ],
    [
      'a filter the topic does not offer',
      sub(DISCHARGE, {
        _criteria: { extension: [{ url: `${IG}/backport-filter-criteria`, valueString: 'Encounter?status=finished' }] },
      }),
    ],
    [
      'an unknown payload content',
      sub(DISCHARGE, {
        channel: {
          type: 'rest-hook',
          _payload: { extension: [{ url: `${IG}/backport-payload-content`, valueCode: 'everything' }] },
        },
      }),
    ],
  ])('refuses %s (422)', (_, s) => {
    expect(() => readTopicSubscription(s)).toThrow(expect.objectContaining({ status: 422 }));
  });
});

describe('notificationBundle', () => {
  const topic = topicOf(DISCHARGE);
  if (!topic) throw new Error('no topic');
  const base = {
    subscription: { ...sub(DISCHARGE), id: 's1' },
    topic,
    baseUrl: 'https://careloop.example/fhir/',
    at: '2026-12-03T10:00:00.000Z',
  };
  const event = {
    number: 3,
    resourceType: 'Encounter',
    id: 'e1',
    json: '{"resourceType":"Encounter","id":"e1","status":"finished"}',
  };

  it.each([
    ['empty', undefined, 1],
    ['id-only', 'https://careloop.example/fhir/Encounter/e1', 2],
    ['full-resource', 'https://careloop.example/fhir/Encounter/e1', 2],
  ] as const)('an event with %s content', (payload, focus, entries) => {
    const bundle = notificationBundle({ ...base, type: 'event-notification', eventsSinceStart: 3, event, payload });
    expect(bundle.type).toBe('history');
    expect(bundle.entry).toHaveLength(entries);
    const status = bundle.entry?.[0]?.resource as Parameters;
    const notification = status.parameter?.find((p) => p.name === 'notification-event')?.part ?? [];
    expect(notification.find((p) => p.name === 'event-number')?.valueString).toBe('3');
    expect(notification.find((p) => p.name === 'focus')?.valueReference?.reference).toBe(focus);
    expect(bundle.entry?.[1]?.resource !== undefined).toBe(payload === 'full-resource');
    expect(status.parameter?.find((p) => p.name === 'subscription')?.valueReference?.reference).toBe(
      'https://careloop.example/fhir/Subscription/s1',
    );
  });

  it('a handshake says requested and names no event', () => {
    const bundle = notificationBundle({ ...base, type: 'handshake', eventsSinceStart: 0, payload: 'id-only' });
    const status = bundle.entry?.[0]?.resource as Parameters;
    expect(status.parameter?.find((p) => p.name === 'status')?.valueCode).toBe('requested');
    expect(status.parameter?.some((p) => p.name === 'notification-event')).toBe(false);
  });
});
