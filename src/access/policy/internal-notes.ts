// Which Communications are messages and which are the care team's internal records (issue 15 §1).
//
// A message is written to someone: it has a sender and recipients, and the patient or caregiver
// reads it in the portal when they are one of them. An internal record is written for the care
// team: a contact attempt ("no answer, left voicemail"), a call's outcome, the post-discharge call
// script's summary, any note about the patient. It carries the category below and is never shown to
// a patient or caregiver — not in a search, an include, `$everything`, an export or a read by id —
// whoever it names. The patient still sees in their access history that it was written.
import type { Coding } from '@medplum/fhirtypes';

/** Careloop's Communication.category for a record kept for the care team, not sent to anyone. */
export const INTERNAL_NOTE: Readonly<Required<Pick<Coding, 'system' | 'code' | 'display'>>> = {
  system: 'http://careloop.org/fhir/CodeSystem/communication-category',
  code: 'internal-note',
  display: 'Note for the care team',
};

/** Whether a Communication is an internal record (by its category). */
export function isInternalNote(communication: { category?: { coding?: Coding[] }[] } | undefined): boolean {
  return (communication?.category ?? []).some((c) =>
    (c.coding ?? []).some((x) => x.system === INTERNAL_NOTE.system && x.code === INTERNAL_NOTE.code),
  );
}
