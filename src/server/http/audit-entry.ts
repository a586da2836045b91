// The audit log entry for a request: who (from the token), from where, what (the resource, the
// search with its query), whose records, and the outcome. Written when the response is about to
// leave; if it cannot be written, the response is replaced by an error (fail closed: no unaudited
// disclosure). Successful writes are recorded inside their own transaction instead (see
// request-context.ts), so that a change and its audit entry commit together.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditTrail } from '../../access/audit/audit-trail.js';
import { toOperationOutcome } from '../../fhir/outcome.js';
import type { AuditEntry } from '../../store/audit-store.js';
import type { WriteEvent } from '../../store/repository/repository-context.js';
import { StoreUnavailableError } from '../../store/store.js';
import { logServerError } from './error-handler.js';
import { FHIR_JSON } from './fhir-reply.js';

const WRITE_ACTIONS: Record<WriteEvent['interaction'], AuditEntry['action']> = {
  create: 'C',
  update: 'U',
  patch: 'U',
  delete: 'D',
};

/** C R U D E as FHIR AuditEvent.action means it: reads R, searches and operations E. */
function actionOf(method: string, segments: readonly string[]): AuditEntry['action'] {
  const operation = segments.some((s) => s.startsWith('$') || s === '_search') || segments.length === 0;
  switch (method) {
    case 'GET':
    case 'HEAD':
      return !operation && segments.length >= 2 && segments[1] !== '_history' ? 'R' : 'E';
    case 'POST':
      return operation ? 'E' : 'C';
    case 'PUT':
    case 'PATCH':
      return 'U';
    case 'DELETE':
      return 'D';
    default:
      return 'E';
  }
}

function pathAndQuery(req: FastifyRequest): { path: string; query: string | undefined } {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  let query = q < 0 ? undefined : req.url.slice(q + 1);
  // POST _search carries its parameters in the body.
  if (path.endsWith('/_search') && Array.isArray(req.body)) {
    const body = new URLSearchParams(req.body as [string, string][]).toString();
    query = query ? `${query}&${body}` : body;
  }
  return { path, query };
}

export function auditEntryFor(req: FastifyRequest, status: number, events?: readonly WriteEvent[]): AuditEntry {
  const { path, query } = pathAndQuery(req);
  const segments = path
    .replace(/^\/fhir\/?/, '')
    .split('/')
    .filter(Boolean);
  const a = req.audit;
  const p = req.principal;
  const patients = events ? new Set(events.flatMap((e) => e.compartments)) : a.patients;
  const actions = events ? new Set(events.map((e) => WRITE_ACTIONS[e.interaction])) : undefined;
  // A write names what it wrote: the requester's own resource comes first (the domain's
  // consequences, such as a Provenance, follow it); a bundle is named as such.
  const first = events?.[0];
  const entity = events
    ? first && (events.length === 1 || segments.length > 0)
      ? `${first.resourceType}/${first.id}`
      : 'Bundle'
    : (a.entity ?? (segments.join('/') || path));
  return {
    recorded: Date.now(),
    kind: a.kind,
    action:
      actions?.size === 1
        ? ([...actions][0] as AuditEntry['action'])
        : actions
          ? 'E'
          : (a.action ?? actionOf(req.method, segments)),
    status,
    ...(p?.kind === 'user' ? { accountId: p.id, username: p.name, role: p.role } : {}),
    ...(p?.kind === 'user' && p.app ? { clientId: p.app.id, appName: p.app.name } : {}),
    ...(p?.kind === 'client' ? { clientId: p.id, username: p.name, role: p.role } : {}),
    ...(p?.fhirUser ? { fhirUser: p.fhirUser } : {}),
    address: req.ip,
    entity,
    ...(query && !events ? { query } : {}),
    patients: [...patients],
    ...(a.breakGlass ? { breakGlass: true } : {}),
    ...(a.detail ? { detail: a.detail } : {}),
  };
}

/**
 * The answer when the audit entry could not be stored: an error in place of whatever the request
 * produced. A database that is busy or unreachable is a 503 the client may retry; an answer that
 * was already an error stays as it was (it disclosed nothing).
 */
function failClosed(reply: FastifyReply, payload: unknown, err: unknown): unknown {
  if (reply.statusCode >= 400) return payload;
  const unavailable = err instanceof StoreUnavailableError;
  (payload as { destroy?: () => void } | null)?.destroy?.();
  reply.code(unavailable ? 503 : 500);
  reply.type(FHIR_JSON);
  if (unavailable) reply.header('Retry-After', '1');
  for (const header of ['etag', 'last-modified', 'location', 'content-location']) reply.removeHeader(header);
  return JSON.stringify(
    toOperationOutcome([
      {
        code: unavailable ? 'transient' : 'exception',
        diagnostics: 'The access could not be recorded in the audit log, so nothing was disclosed. Try again later.',
      },
    ]),
  );
}

export function installAuditHook(app: FastifyInstance, trail: AuditTrail): void {
  app.addHook('onSend', async (req, reply, payload) => {
    const a = req.audit;
    if (!a?.enabled) return payload;
    // A write recorded inside its transaction, disclosing nothing else, needs no second entry.
    if (a.writesAudited && a.patients.size === 0 && reply.statusCode < 400) return payload;
    try {
      await trail.record(auditEntryFor(req, reply.statusCode));
      return payload;
    } catch (err) {
      const failed = failClosed(reply, payload, err);
      logServerError(req, reply.statusCode, err);
      return failed;
    }
  });
}
