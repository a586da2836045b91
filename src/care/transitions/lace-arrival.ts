// How a patient arrived, for the LACE index's A and E (van Walraven C et al., CMAJ 2010;182(6):
// 551-557; the LACE tool's instructions): A is acute when the admission was emergent — its priority,
// an admit source of the emergency department (v2-0023 "emd"), or an emergency visit immediately
// before it; E counts the emergency department visits of the six months before admission, NOT the
// visit that led to this admission, which acuity already scores. Pure.
import type { Encounter } from '@medplum/fhirtypes';

const HOUR = 3_600_000;
/** An emergency visit that ended this close before the admission began is the one that led to it. */
const LEADS_TO_ADMISSION_MS = 24 * HOUR;

const startOf = (e: Encounter): number => Date.parse(e.period?.start ?? e.period?.end ?? '');
const endOf = (e: Encounter): number => Date.parse(e.period?.end ?? e.period?.start ?? '');

/** The emergency visit that led to the admission: one it names (partOf), else the latest that ended within 24 hours before it began (or runs into it). */
export function precedingEmergencyVisit(
  admission: Encounter,
  emergencies: readonly Encounter[],
): Encounter | undefined {
  const named = admission.partOf?.reference;
  const byReference = emergencies.find((e) => named !== undefined && `Encounter/${e.id}` === named);
  if (byReference) return byReference;
  const admitted = startOf(admission);
  return emergencies
    .filter((e) => startOf(e) <= admitted && endOf(e) >= admitted - LEADS_TO_ADMISSION_MS)
    .sort((a, b) => endOf(b) - endOf(a))[0];
}

/** LACE E: emergency visits in the 182 days before admission, the one that led to it excluded. */
export function priorEmergencyVisits(admission: Encounter, emergencies: readonly Encounter[]): number {
  const admitted = startOf(admission);
  const from = admitted - 182 * 24 * HOUR;
  const leading = precedingEmergencyVisit(admission, emergencies);
  return emergencies.filter(
    (e) => e !== leading && e.id !== admission.id && startOf(e) >= from && startOf(e) < admitted,
  ).length;
}

/** LACE A: whether the admission was acute (emergent) rather than elective. */
export function isEmergentAdmission(admission: Encounter, emergencies: readonly Encounter[]): boolean {
  return (
    (admission.priority?.coding ?? []).some((c) => ['EM', 'UR', 'A', 'S', 'CS'].includes(c.code ?? '')) ||
    (admission.hospitalization?.admitSource?.coding ?? []).some((c) => c.code === 'emd') ||
    admission.class?.code === 'EMER' ||
    precedingEmergencyVisit(admission, emergencies) !== undefined
  );
}
