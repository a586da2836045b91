import type { Encounter } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { ADT_TOPICS, isTopicEvent, topicOf } from './adt-topics.js';

const admission = topicOf('http://careloop.org/fhir/SubscriptionTopic/admission');
const discharge = topicOf('http://careloop.org/fhir/SubscriptionTopic/discharge');
const stay = (status: Encounter['status'], klass = 'IMP', end?: string): Encounter => ({
  resourceType: 'Encounter',
  status,
  class: { code: klass },
  period: { start: '2026-12-01T08:00:00Z', ...(end ? { end } : {}) },
});
const END = '2026-12-03T10:00:00Z';

describe('isTopicEvent', () => {
  it.each([
    ['admission', 'a new inpatient stay', stay('in-progress'), undefined, true],
    ['admission', 'an emergency visit', stay('arrived', 'EMER'), undefined, true],
    ['admission', 'a planned stay becoming present', stay('in-progress'), stay('planned'), true],
    ['admission', 'an update during the stay', stay('in-progress'), stay('in-progress'), false],
    ['admission', 'a discharge taken back (A13)', stay('in-progress'), stay('finished', 'IMP', END), false],
    ['admission', 'an outpatient visit', stay('in-progress', 'AMB'), undefined, false],
    ['admission', 'a planned stay', stay('planned'), undefined, false],
    ['discharge', 'a discharge', stay('finished', 'IMP', END), stay('in-progress'), true],
    ['discharge', 'a discharge arriving first', stay('finished', 'IMP', END), undefined, true],
    ['discharge', 'an update after the discharge', stay('finished', 'IMP', END), stay('finished', 'IMP', END), false],
    ['discharge', 'finished without an end', stay('finished'), stay('in-progress'), false],
    ['discharge', 'a cancelled admission (A11)', stay('cancelled'), stay('in-progress'), false],
    ['discharge', 'an observation stay', stay('finished', 'OBSENC', END), stay('in-progress', 'OBSENC'), true],
  ] as const)('%s: %s -> %s', (code, _, current, previous, expected) => {
    const topic = code === 'admission' ? admission : discharge;
    if (!topic) throw new Error('no topic');
    expect(isTopicEvent(topic, current, previous)).toBe(expected);
  });

  it('has one canonical URL per topic', () => {
    expect(new Set(ADT_TOPICS.map((t) => t.url)).size).toBe(ADT_TOPICS.length);
  });
});
