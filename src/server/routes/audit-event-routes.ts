// GET /fhir/AuditEvent and /fhir/AuditEvent/{id}: the audit log as FHIR AuditEvents. Administrators
// search all of it; a patient (or their caregiver) sees who accessed their record, the accounting of
// disclosures (45 CFR 164.528). Nobody writes AuditEvents: the server does.
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessService } from '../../access/access-service.js';
import { toAuditEvent } from '../../access/audit/audit-event.js';
import { idOf } from '../../access/principal.js';
import { badRequest, OutcomeError } from '../../fhir/outcome.js';
import type { AuditQuery, StoredAuditEntry } from '../../store/audit-store.js';
import { baseUrlOf, sendJsonText } from '../http/fhir-reply.js';
import { principalOf } from '../http/request-context.js';
import { queryPairs } from './resource-routes.js';

const forbidden = (message: string): OutcomeError => new OutcomeError('forbidden', message, { status: 403 });

/** The patients whose accounting the requester may see; undefined for every patient (an administrator). */
async function auditablePatients(req: FastifyRequest, access: AccessService): Promise<string[] | undefined> {
  const principal = principalOf(req);
  if (principal.role === 'admin') return undefined;
  if (principal.role === 'patient' || principal.role === 'caregiver') {
    const decisions = await access.decisions.get(principal);
    return [...decisions.patients];
  }
  throw forbidden('The audit log is open to administrators, and to patients for their own record');
}

function dateBound(value: string): { since?: number; until?: number } {
  const m = /^(ge|gt|le|lt|eq)?(.+)$/.exec(value);
  const prefix = m?.[1] ?? 'eq';
  const t = Date.parse(m?.[2] ?? '');
  if (Number.isNaN(t)) throw badRequest(`date must be a date or instant, not '${value}'`, 'date');
  if (prefix === 'ge' || prefix === 'gt') return { since: t };
  if (prefix === 'le' || prefix === 'lt') return { until: t };
  throw badRequest('date takes ge, gt, le or lt', 'date');
}

export function registerAuditEventRoutes(
  app: FastifyInstance,
  access: AccessService,
  baseUrl: string | undefined,
): void {
  const audit = access.auth.store.audit;

  app.get('/fhir/AuditEvent', async (req, reply) => {
    const allowed = await auditablePatients(req, access);
    let query: AuditQuery = { count: 50, offset: 0 };
    const params: [string, string][] = [];
    for (const [k, v] of queryPairs(req)) {
      if (k === 'patient' || k === 'entity') {
        const id = idOf(v, 'Patient') ?? v;
        query = { ...query, patient: id };
      } else if (k === 'date') query = { ...query, ...dateBound(v) };
      else if (k === 'subtype' || k === 'type') query = { ...query, kind: v };
      else if (k === '_count') query = { ...query, count: Math.min(Math.max(Number.parseInt(v, 10) || 50, 1), 1000) };
      else if (k === '_offset') query = { ...query, offset: Math.max(0, Number.parseInt(v, 10) || 0) };
      else if (k !== '_format')
        throw badRequest(`AuditEvent search supports patient, date, type, _count and _offset, not '${k}'`, k);
      if (k !== '_offset') params.push([k, v]);
    }
    if (allowed) {
      if (query.patient === undefined && allowed.length === 1) query = { ...query, patient: allowed[0] as string };
      if (query.patient === undefined || !allowed.includes(query.patient)) {
        throw forbidden('Name your own record: AuditEvent?patient=Patient/<id>');
      }
    }
    if (query.patient) req.audit.patients.add(query.patient);
    const { entries, total } = await audit.search(query);
    const base = baseUrlOf(req, baseUrl);
    const link = (offset: number): string => {
      const q = new URLSearchParams([...params, ['_offset', String(offset)]]).toString();
      return `${base}/AuditEvent?${q}`;
    };
    const bundle: Bundle<AuditEvent> = {
      resourceType: 'Bundle',
      type: 'searchset',
      total,
      link: [
        { relation: 'self', url: link(query.offset) },
        ...(query.offset + entries.length < total ? [{ relation: 'next', url: link(query.offset + query.count) }] : []),
      ],
      entry: entries.map((e: StoredAuditEntry) => ({
        fullUrl: `${base}/AuditEvent/${e.seq}`,
        resource: toAuditEvent(e, allowed),
        search: { mode: 'match' as const },
      })),
    };
    return sendJsonText(reply, 200, JSON.stringify(bundle));
  });

  app.get<{ Params: { id: string } }>('/fhir/AuditEvent/:id', async (req, reply) => {
    const allowed = await auditablePatients(req, access);
    const seq = /^\d{1,15}$/.test(req.params.id) ? Number(req.params.id) : undefined;
    const stored = seq !== undefined ? await audit.get(seq) : undefined;
    if (!stored || (allowed && !stored.entry.patients.some((p) => allowed.includes(p)))) {
      throw new OutcomeError('not-found', `AuditEvent/${req.params.id} not found`);
    }
    return sendJsonText(reply, 200, JSON.stringify(toAuditEvent(stored, allowed)));
  });

  const refuse = async (): Promise<never> => {
    throw new OutcomeError('not-supported', 'The audit log is written by the server only', { status: 405 });
  };
  for (const url of ['/fhir/AuditEvent', '/fhir/AuditEvent/:id']) {
    app.route({ method: ['POST', 'PUT', 'PATCH', 'DELETE'], url, handler: refuse });
  }
}
