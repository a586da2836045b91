// Read status per recipient on a secure message: R4 Communication has none, so each recipient's
// reading is an extension (who, when) on the message. Pure.
import type { Communication, Extension } from '@medplum/fhirtypes';

export const READ_BY_EXTENSION = 'http://careloop.org/fhir/StructureDefinition/read-by';

export function readersOf(message: Communication): { who: string; when: string }[] {
  return (message.extension ?? [])
    .filter((e) => e.url === READ_BY_EXTENSION)
    .map((e) => ({
      who: e.extension?.find((x) => x.url === 'who')?.valueReference?.reference ?? '',
      when: e.extension?.find((x) => x.url === 'when')?.valueDateTime ?? '',
    }));
}

export type MarkReadResult = { ok: true; message: Communication; changed: boolean } | { ok: false; reason: string };

/** Marks the message read by `reader`, one of its recipients (or acting for one: `actingFor`). */
export function markRead(
  message: Communication,
  reader: string,
  actingFor: readonly string[],
  when: string,
): MarkReadResult {
  const recipients = (message.recipient ?? []).map((r) => r.reference ?? '');
  const as = [reader, ...actingFor].find((r) => recipients.includes(r));
  if (!as) return { ok: false, reason: 'Only a recipient of the message can mark it read' };
  if (readersOf(message).some((r) => r.who === as)) return { ok: true, message, changed: false };
  const entry: Extension = {
    url: READ_BY_EXTENSION,
    extension: [
      { url: 'who', valueReference: { reference: as } },
      { url: 'when', valueDateTime: when },
    ],
  };
  return { ok: true, changed: true, message: { ...message, extension: [...(message.extension ?? []), entry] } };
}
