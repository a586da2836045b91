// An ADT message (HL7 v2 chapter 3, Patient Administration) read into what Careloop acts on: the
// event, who sent it, the patient (PID), the visit (PV1/PV2), diagnoses (DG1), allergies (AL1) and,
// for a merge, the retired identifiers (MRG). Field positions follow v2.5.1 (unchanged from 2.3 to
// 2.8 for these). What cannot be acted on is a problem naming the segment and field, for the ACK.

import { hl7Date, hl7Instant } from './hl7-datetime.js';
import type { AckCode, Hl7Message, Hl7Problem, Hl7Segment } from './hl7-message.js';

/** The ADT events Careloop applies (MSH-9.2; EVN-1 is not trusted, senders often leave it stale). */
export const ADT_EVENTS = ['A01', 'A02', 'A03', 'A04', 'A06', 'A07', 'A08', 'A11', 'A13', 'A40'] as const;
export type AdtEventCode = (typeof ADT_EVENTS)[number];

export interface AdtIdentifier {
  readonly value: string;
  /** CX-4 assigning authority (its namespace id, or its universal id). */
  readonly authority: string | undefined;
  /** CX-5 identifier type (MR, SS, VN, AN...). */
  readonly type: string | undefined;
}

export interface AdtPatient {
  readonly identifiers: readonly AdtIdentifier[];
  readonly family: string | undefined;
  readonly given: readonly string[];
  readonly birthDate: string | undefined;
  /** PID-8 administrative sex (table 0001: F, M, O, U, A, N). */
  readonly sex: string | undefined;
}

export interface AdtVisit {
  readonly number: AdtIdentifier | undefined;
  /** PV1-2 patient class (table 0004: I inpatient, O outpatient, E emergency, P preadmit, R recurring, B obstetrics). */
  readonly patientClass: string;
  readonly location: string | undefined;
  readonly priorLocation: string | undefined;
  readonly attending: string | undefined;
  /** PV1-14 admit source (table 0023). */
  readonly admitSource: string | undefined;
  readonly admitted: string | undefined;
  readonly discharged: string | undefined;
  /** PV1-36 discharge disposition (table 0112), code and text. */
  readonly disposition: { readonly code: string; readonly display: string | undefined } | undefined;
}

export interface AdtCoded {
  readonly code: string | undefined;
  readonly display: string | undefined;
  readonly system: string | undefined;
}

export interface AdtEvent {
  readonly event: AdtEventCode;
  /** MSH-10: the same id again is the same message resent. */
  readonly controlId: string;
  /** MSH-3 and MSH-4: who sent it (the namespace of its visit numbers and unqualified identifiers). */
  readonly sendingApplication: string;
  readonly sendingFacility: string;
  readonly version: string;
  readonly patient: AdtPatient;
  readonly visit: AdtVisit | undefined;
  readonly diagnoses: readonly AdtCoded[];
  readonly allergies: readonly (AdtCoded & {
    /** AL1-2 allergen type (table 0127: DA drug, FA food, EA environmental...). */
    readonly type: string | undefined;
    readonly reaction: string | undefined;
    readonly severity: string | undefined;
  })[];
  /** A40: the identifiers of the patient merged into this one (MRG-1). */
  readonly mergedIdentifiers: readonly AdtIdentifier[];
}

export type AdtReading =
  | { readonly ok: true; readonly adt: AdtEvent }
  | { readonly ok: false; readonly ack: Exclude<AckCode, 'AA'>; readonly problem: Hl7Problem };

/** Events that are about a visit: they need a PV1. */
const VISIT_EVENTS: ReadonlySet<string> = new Set(['A01', 'A02', 'A03', 'A04', 'A06', 'A07', 'A11', 'A13']);

const text = (s: string | undefined): string | undefined => {
  const t = s?.trim();
  return t && t !== '""' ? t : undefined;
};

function identifiersOf(segment: Hl7Segment, field: number): AdtIdentifier[] {
  const f = segment.getField(field);
  const out: AdtIdentifier[] = [];
  for (let r = 0; r < (f?.components.length ?? 0); r++) {
    const value = text(f?.getComponent(1, undefined, r));
    if (!value) continue;
    // CX-4 is an HD: namespace id & universal id & its type.
    const authority = text(f?.getComponent(4, 0, r)) ?? text(f?.getComponent(4, 1, r));
    out.push({ value, authority, type: text(f?.getComponent(5, undefined, r)) });
  }
  return out;
}

function codedOf(segment: Hl7Segment, field: number): AdtCoded {
  return {
    code: text(segment.getComponent(field, 1)),
    display: text(segment.getComponent(field, 2)),
    system: text(segment.getComponent(field, 3)),
  };
}

/** A person named in an XCN field (PV1-7 attending): "family, given", or the id alone. */
function personOf(segment: Hl7Segment, field: number): string | undefined {
  const family = text(segment.getComponent(field, 2, 0));
  const given = text(segment.getComponent(field, 3));
  const name = [given, family].filter(Boolean).join(' ');
  return name || text(segment.getComponent(field, 1));
}

/** A location (PL: point of care ^ room ^ bed ^ facility) in words. */
function locationOf(segment: Hl7Segment, field: number): string | undefined {
  const parts = [1, 2, 3, 4].map((c) => text(segment.getComponent(field, c, 0))).filter(Boolean);
  return parts.length ? parts.join(' ') : undefined;
}

const problem = (
  ack: Exclude<AckCode, 'AA'>,
  segment: string,
  field: number | undefined,
  code: Hl7Problem['code'],
  message: string,
): AdtReading => ({ ok: false, ack, problem: { segment, field, code, text: message } });

export function readAdt(message: Hl7Message, timeZone: string): AdtReading {
  const msh = message.header;
  const type = text(msh.getComponent(9, 1));
  const event = text(msh.getComponent(9, 2));
  if (type !== 'ADT')
    return problem('AR', 'MSH', 9, '200', `Message type ${type ?? '(none)'} is not accepted: ADT only`);
  if (!event || !(ADT_EVENTS as readonly string[]).includes(event))
    return problem('AR', 'MSH', 9, '201', `ADT event ${event ?? '(none)'} is not accepted: ${ADT_EVENTS.join(', ')}`);
  const controlId = text(msh.getField(10)?.toString());
  if (!controlId) return problem('AE', 'MSH', 10, '101', 'MSH-10 (message control id) is required');
  const pid = message.getSegment('PID');
  if (!pid) return problem('AE', 'PID', undefined, '100', 'The PID segment is missing');
  const identifiers = identifiersOf(pid, 3);
  if (!identifiers.length) return problem('AE', 'PID', 3, '101', 'PID-3 (patient identifier list) is required');
  const birth = text(pid.getComponent(7, 1));
  const birthDate = birth ? hl7Date(birth) : undefined;
  if (birth && !birthDate) return problem('AE', 'PID', 7, '102', `PID-7 (date of birth) is not an HL7 date: ${birth}`);
  const patient: AdtPatient = {
    identifiers,
    family: text(pid.getComponent(5, 1, 0)),
    given: [text(pid.getComponent(5, 2)), text(pid.getComponent(5, 3))].filter((g): g is string => Boolean(g)),
    birthDate,
    sex: text(pid.getComponent(8, 1)),
  };
  const pv1 = message.getSegment('PV1');
  let visit: AdtVisit | undefined;
  if (VISIT_EVENTS.has(event) && !pv1) return problem('AE', 'PV1', undefined, '100', `An ${event} needs a PV1 segment`);
  if (pv1) {
    const patientClass = text(pv1.getComponent(2, 1));
    if (VISIT_EVENTS.has(event) && !patientClass)
      return problem('AE', 'PV1', 2, '101', 'PV1-2 (patient class) is required');
    const instant = (field: number, name: string): string | undefined | AdtReading => {
      const raw = text(pv1.getComponent(field, 1));
      if (!raw) return undefined;
      return (
        hl7Instant(raw, timeZone) ??
        problem('AE', 'PV1', field, '102', `PV1-${field} (${name}) is not an HL7 date-time: ${raw}`)
      );
    };
    const admitted = instant(44, 'admit date/time');
    if (typeof admitted === 'object') return admitted;
    const discharged = instant(45, 'discharge date/time');
    if (typeof discharged === 'object') return discharged;
    const dispositionCode = text(pv1.getComponent(36, 1));
    visit = {
      number: identifiersOf(pv1, 19)[0],
      patientClass: patientClass ?? '',
      location: locationOf(pv1, 3),
      priorLocation: locationOf(pv1, 6),
      attending: personOf(pv1, 7),
      admitSource: text(pv1.getComponent(14, 1)),
      admitted,
      discharged,
      disposition: dispositionCode ? { code: dispositionCode, display: text(pv1.getComponent(36, 2)) } : undefined,
    };
  }
  const mergedIdentifiers = message.getAllSegments('MRG').flatMap((mrg) => identifiersOf(mrg, 1));
  if (event === 'A40' && !mergedIdentifiers.length)
    return problem('AE', 'MRG', 1, '101', 'An A40 needs MRG-1 (the prior patient identifier)');
  return {
    ok: true,
    adt: {
      event: event as AdtEventCode,
      controlId,
      sendingApplication: text(msh.getComponent(3, 1)) ?? '',
      sendingFacility: text(msh.getComponent(4, 1)) ?? '',
      version: text(msh.getField(12)?.toString()) ?? '',
      patient,
      visit,
      diagnoses: message.getAllSegments('DG1').map((dg1) => codedOf(dg1, 3)),
      allergies: message.getAllSegments('AL1').map((al1) => ({
        ...codedOf(al1, 3),
        type: text(al1.getComponent(2, 1)),
        severity: text(al1.getComponent(4, 1)),
        reaction: text(al1.getComponent(5, 1)),
      })),
      mergedIdentifiers,
    },
  };
}
