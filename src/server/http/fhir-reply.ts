// Writing FHIR responses: content type, ETag/Last-Modified/Location headers, and the client's
// `Prefer: return=` choice on writes (R4 §3.1.0.1.8).

import type { OperationOutcome } from '@medplum/fhirtypes';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { informationOutcome } from '../../fhir/outcome.js';
import type { StoredVersion } from '../../store/store.js';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export function baseUrlOf(req: FastifyRequest, configured: string | undefined): string {
  if (configured) return configured.replace(/\/$/, '');
  return `${req.protocol}://${req.host}/fhir`;
}

export function preferOf(req: FastifyRequest): { return?: string; handling?: string; respondAsync: boolean } {
  const header = String(req.headers.prefer ?? '');
  const out: { return?: string; handling?: string; respondAsync: boolean } = { respondAsync: false };
  for (const part of header.split(/[,;]/)) {
    const [k, v] = part
      .trim()
      .split('=')
      .map((s) => s.trim().replace(/^"|"$/g, ''));
    if (k === 'return' && v) out.return = v;
    else if (k === 'handling' && v) out.handling = v;
    else if (k === 'respond-async') out.respondAsync = true;
  }
  return out;
}

export function sendJsonText(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).type(FHIR_JSON).send(text);
}

export function sendResource(reply: FastifyReply, v: StoredVersion, status = 200): FastifyReply {
  reply.header('ETag', `W/"${v.versionId}"`);
  reply.header('Last-Modified', new Date(v.lastUpdated).toUTCString());
  return sendJsonText(reply, status, v.json ?? '{}');
}

/** The answer to a create/update/patch, shaped by `Prefer: return=`. */
export function sendWrite(
  req: FastifyRequest,
  reply: FastifyReply,
  baseUrl: string,
  v: StoredVersion,
  status: number,
  message: string,
): FastifyReply {
  reply.header('Location', `${baseUrl}/${v.resourceType}/${v.id}/_history/${v.versionId}`);
  reply.header('ETag', `W/"${v.versionId}"`);
  reply.header('Last-Modified', new Date(v.lastUpdated).toUTCString());
  const prefer = preferOf(req).return;
  if (prefer === 'minimal') return reply.code(status).send();
  if (prefer === 'OperationOutcome') {
    return sendJsonText(reply, status, JSON.stringify(informationOutcome(message) satisfies OperationOutcome));
  }
  return sendJsonText(reply, status, v.json ?? '{}');
}
