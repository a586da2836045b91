// The tag on a resource Careloop wrote from a clinical document (C-CDA import): what the document
// tells of the past, as opposed to a live event from a feed or a user. The transition engine does
// not open episodes for Encounters carrying it (a CCD lists stays from years ago).
import type { Coding } from '@medplum/fhirtypes';

export const FROM_DOCUMENT_TAG: Coding = {
  system: 'http://careloop.org/fhir/CodeSystem/record-source',
  code: 'document',
  display: 'Recorded from a clinical document',
};

export const isFromDocument = (resource: { meta?: { tag?: readonly Coding[] } }): boolean =>
  (resource.meta?.tag ?? []).some((t) => t.system === FROM_DOCUMENT_TAG.system && t.code === FROM_DOCUMENT_TAG.code);
