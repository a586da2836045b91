// The one place Careloop uses its HL7 v2 parser: Medplum's (`@medplum/core`), from the same family
// as the FHIR types Careloop uses. The rest of Careloop sees these few functions and types; MLLP
// over TCP is src/server/mllp/mllp-transport.ts.
import { Hl7Message, Hl7Segment } from '@medplum/core';

export type { Hl7Message, Hl7Segment };

/** The segment ends HL7 v2 uses (CR); files often carry LF or CRLF, and some a UTF-8 byte order mark. */
export function normalizeHl7Text(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n|\n/g, '\r')
    .replace(/\r+$/, '');
}

export type ParsedHl7 =
  | { readonly ok: true; readonly message: Hl7Message }
  | { readonly ok: false; readonly reason: string };

/** Parses a message's text; a text that is no HL7 v2 message (no MSH first) is a reason, not a throw. */
export function parseHl7(text: string): ParsedHl7 {
  const normalized = normalizeHl7Text(text);
  if (!normalized.startsWith('MSH') || normalized.length < 9)
    return { ok: false, reason: 'The message does not start with an MSH segment' };
  try {
    return { ok: true, message: Hl7Message.parse(normalized) };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

export type AckCode = 'AA' | 'AE' | 'AR';

/** Where a problem is (ERR-2: segment, its sequence, the field) and what it is, for an ACK's ERR segment. */
export interface Hl7Problem {
  readonly segment: string;
  readonly field: number | undefined;
  /** HL7 table 0357: 100 segment sequence error, 101 required field missing, 102 data type error, 200 unsupported message type, 201 unsupported event code, 207 application internal error. */
  readonly code: '100' | '101' | '102' | '200' | '201' | '207';
  readonly text: string;
}

const ERROR_NAMES: Record<Hl7Problem['code'], string> = {
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '207': 'Application internal error',
};

/** The acknowledgement of a message (MSA-1 the code; an ERR segment naming the problem). */
export function buildAck(message: Hl7Message | undefined, code: AckCode, problem?: Hl7Problem): string {
  const err = problem
    ? Hl7Segment.parse(
        [
          'ERR',
          '',
          `${problem.segment}^1${problem.field !== undefined ? `^${problem.field}` : ''}`,
          `${problem.code}^${ERROR_NAMES[problem.code]}^HL70357`,
          'E',
          '',
          '',
          '',
          escapeHl7(problem.text),
        ].join('|'),
      )
    : undefined;
  const source = message ?? Hl7Message.parse('MSH|^~\\&|||||||ACK||P|2.5.1');
  return source.buildAck({ ackCode: code, ...(err ? { errSegment: err } : {}) }).toString();
}

/** Text placed in a field: HL7's separators escaped (v2 §2.7). */
function escapeHl7(text: string): string {
  return text
    .replace(/\\/g, '\\E\\')
    .replace(/\|/g, '\\F\\')
    .replace(/\^/g, '\\S\\')
    .replace(/&/g, '\\T\\')
    .replace(/~/g, '\\R\\');
}

/** Where and why an acknowledgement refused its message (ERR-2 and ERR-8), for the people reviewing feeds. */
export function problemOfAck(ack: string): { readonly where: string; readonly text: string } | undefined {
  const parsed = parseHl7(ack);
  if (!parsed.ok) return undefined;
  const err = parsed.message.getSegment('ERR');
  if (!err) return undefined;
  const where = [err.getComponent(2, 1), err.getComponent(2, 3)].filter(Boolean).join('-');
  return { where, text: unescapeHl7(err.getField(8)?.toString() ?? '') };
}

const UNESCAPED: Readonly<Record<string, string>> = { F: '|', S: '^', T: '&', R: '~', E: '\\' };

/** A field's text with HL7's escape sequences read back (v2 §2.7). */
function unescapeHl7(text: string): string {
  return text.replace(/\\([FSTRE])\\/g, (_m, c: string) => UNESCAPED[c] ?? '');
}
