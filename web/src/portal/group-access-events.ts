// The accounting of access as a person reads it: one line per person per minute per kind of access
// (opening the portal page makes a dozen requests; the patient needs to know who and when, not each
// request), newest first.
import type { AuditEvent } from '@medplum/fhirtypes';

export interface AccessLine {
  readonly when: string;
  /** The agent's FHIR reference, when known (Practitioner/..., RelatedPerson/...). */
  readonly reference: string | undefined;
  readonly who: string;
  readonly role: string | undefined;
  /** The app they used, when they read or changed the record through a SMART app. */
  readonly via: string | undefined;
  readonly action: string;
  readonly refused: boolean;
  readonly count: number;
}

/** DICOM participant role "Application": the SMART app named beside the person in an AuditEvent. */
const APPLICATION = '110150';

export function groupAccessEvents(events: readonly AuditEvent[]): AccessLine[] {
  const lines: AccessLine[] = [];
  const sorted = [...events].sort((a, b) => (b.recorded ?? '').localeCompare(a.recorded ?? ''));
  for (const e of sorted) {
    const agent = e.agent?.find((a) => a.requestor) ?? e.agent?.[0];
    const line: AccessLine = {
      when: e.recorded ?? '',
      reference: agent?.who?.reference,
      who: agent?.who?.display ?? agent?.name ?? 'Someone',
      role: agent?.role?.[0]?.text,
      via: e.agent?.find((a) => !a.requestor && a.type?.coding?.some((c) => c.code === APPLICATION))?.who?.display,
      action: e.action ?? 'E',
      refused: Boolean(e.outcome && e.outcome !== '0'),
      count: 1,
    };
    const last = lines[lines.length - 1];
    if (
      last &&
      last.who === line.who &&
      last.reference === line.reference &&
      last.via === line.via &&
      last.refused === line.refused &&
      (last.action === 'R' || last.action === 'E') === (line.action === 'R' || line.action === 'E') &&
      last.when.slice(0, 16) === line.when.slice(0, 16)
    ) {
      lines[lines.length - 1] = { ...last, count: last.count + 1 };
    } else lines.push(line);
  }
  return lines;
}
