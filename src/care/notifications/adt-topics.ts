// The subscription topics a care team member outside Careloop can subscribe to (a PCP's EHR, a
// specialist, a home health agency): a patient's admissions and discharges, as the Subscriptions
// R5 Backport IG (hl7.org/fhir/uv/subscriptions-backport) defines topic-based subscriptions for R4.
// The event is decided from the Encounter's version and the one before it, so each admission and
// each discharge is told once, whatever else changes on the stay. Which stays: inpatient and
// observation (the transition engine's classes, src/care/transitions) and emergency visits — the
// events CMS's admission, discharge and transfer notification rule is about (42 CFR 482.24(d)).
import type { Encounter } from '@medplum/fhirtypes';
import { TRANSITION_CLASSES } from '../transitions/episode-resources.js';

export interface AdtTopic {
  /** The canonical URL a Subscription names in `criteria`. */
  readonly url: string;
  readonly code: 'admission' | 'discharge';
  readonly title: string;
  /** The resource whose writes may be its events, and the filters a subscriber may set on it. */
  readonly resourceType: 'Encounter';
  readonly filters: readonly string[];
}

export const ADT_TOPICS: readonly AdtTopic[] = [
  {
    url: 'http://careloop.org/fhir/SubscriptionTopic/admission',
    code: 'admission',
    title: 'A patient is admitted to a hospital (inpatient, observation or emergency)',
    resourceType: 'Encounter',
    filters: ['patient', 'subject', 'class', 'service-provider'],
  },
  {
    url: 'http://careloop.org/fhir/SubscriptionTopic/discharge',
    code: 'discharge',
    title: 'A patient is discharged from a hospital stay (inpatient, observation or emergency)',
    resourceType: 'Encounter',
    filters: ['patient', 'subject', 'class', 'service-provider'],
  },
];

export const topicOf = (url: string | undefined): AdtTopic | undefined => ADT_TOPICS.find((t) => t.url === url);

const HOSPITAL_CLASSES: ReadonlySet<string> = new Set([...TRANSITION_CLASSES, 'EMER']);
const PRESENT: ReadonlySet<string> = new Set(['arrived', 'triaged', 'in-progress', 'onleave']);

const isHospitalStay = (e: Encounter) => HOSPITAL_CLASSES.has(e.class?.code ?? '');
const isPresent = (e: Encounter | undefined) => e !== undefined && PRESENT.has(e.status);
const isDischarged = (e: Encounter | undefined) => e !== undefined && e.status === 'finished' && Boolean(e.period?.end);

/**
 * Whether this version of an Encounter is the topic's event: an admission when the patient is now in
 * hospital and was not in the version before (or there was none); a discharge when the stay is now
 * finished with an end and was not before. A stay the hospital cancelled is neither.
 */
export function isTopicEvent(topic: AdtTopic, current: Encounter, previous: Encounter | undefined): boolean {
  if (!isHospitalStay(current)) return false;
  if (topic.code === 'admission') return isPresent(current) && !isPresent(previous) && !isDischarged(previous);
  return isDischarged(current) && !isDischarged(previous);
}
