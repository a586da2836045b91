// The category of a Communication kept for the care team, not sent to anyone (a contact attempt,
// a call's outcome). The server decides who sees it (src/access/policy/internal-notes.ts: never a
// patient or caregiver); the app writes it on the notes it records and leaves them out of Messages.
export const INTERNAL_NOTE = {
  system: 'http://careloop.org/fhir/CodeSystem/communication-category',
  code: 'internal-note',
  display: 'Note for the care team',
} as const;

/** A search value that leaves internal notes out (`category:not=`). */
export const NOT_INTERNAL_NOTE = `${INTERNAL_NOTE.system}|${INTERNAL_NOTE.code}`;
