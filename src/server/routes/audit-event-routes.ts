// GET /fhir/AuditEvent and /fhir/AuditEvent/{id}: the audit log as FHIR AuditEvents. Administrators
// search all of it; a patient (or their caregiver) sees who accessed their record, the accounting of
// disclosures (45 CFR 164.528). Nobody writes AuditEvents: the server does.
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessService } from '../../access/access-service.js';
import { toAuditEvent } from '../../access/audit/audit-event.js';
import { idOf } from '../../access/principal.js';
import { badRequest, OutcomeError } from '../../fhir/outcome.js';
import { parseDateRange } from '../../fhir/search/date-range.js';
import type { AuditEntry, AuditQuery, AuditSortKey, StoredAuditEntry } from '../../store/audit-store.js';
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

/** `date` with a prefix, as a range of recording times (R4 §3.1.1.4.7: a date stands for its whole interval). */
function dateBound(value: string): { since?: number; until?: number } {
  const m = /^(eq|ge|gt|le|lt)?(.+)$/.exec(value);
  const prefix = m?.[1] ?? 'eq';
  const range = parseDateRange(m?.[2] ?? '');
  if (!range) throw badRequest(`date must be a date or instant, not '${value}'`, 'date');
  switch (prefix) {
    case 'ge':
      return { since: range.low };
    case 'gt':
      return { since: range.high + 1 };
    case 'le':
      return { until: range.high };
    case 'lt':
      return { until: range.low - 1 };
    default:
      return { since: range.low, until: range.high };
  }
}

/** AuditEvent.outcome codes (R4 audit-event-outcome) as ranges of the HTTP status recorded. */
const OUTCOMES: Record<string, { low: number; high: number }> = {
  '0': { low: 0, high: 399 },
  '4': { low: 400, high: 499 },
  '8': { low: 500, high: 599 },
};

/** `_sort` names (the search parameters, and the words of the audit report) and what they sort by. */
const SORTS: Record<string, AuditSortKey> = {
  date: 'date',
  'agent-name': 'user',
  user: 'user',
  patient: 'patient',
  action: 'action',
  outcome: 'outcome',
};

const SEARCH_PARAMS = 'patient, date, type, agent-name (user), altid, action, outcome, _sort, _count and _offset';

function parseSort(value: string): NonNullable<AuditQuery['sort']> {
  return value.split(',').map((raw) => {
    const descending = raw.startsWith('-');
    const key = SORTS[descending ? raw.slice(1) : raw];
    if (!key) throw badRequest(`AuditEvent can be sorted by ${Object.keys(SORTS).join(', ')}, not '${raw}'`, '_sort');
    return { key, descending };
  });
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
      } else if (k === 'date') {
        // Repeated: both bounds hold (date=ge2026-01-01&date=lt2026-02-01).
        const b = dateBound(v);
        query = {
          ...query,
          ...(b.since !== undefined ? { since: Math.max(b.since, query.since ?? b.since) } : {}),
          ...(b.until !== undefined ? { until: Math.min(b.until, query.until ?? b.until) } : {}),
        };
      } else if (k === 'subtype' || k === 'type') query = { ...query, kind: v };
      else if (k === 'agent-name' || k === 'user') query = { ...query, username: v };
      else if (k === 'altid') query = { ...query, accountId: v };
      else if (k === 'action') {
        if (!['C', 'R', 'U', 'D', 'E'].includes(v)) throw badRequest(`action is one of C, R, U, D, E, not '${v}'`, k);
        query = { ...query, action: v as AuditEntry['action'] };
      } else if (k === 'outcome') {
        const status = OUTCOMES[v];
        if (!status) throw badRequest(`outcome is 0 (success), 4 (refused) or 8 (failed), not '${v}'`, k);
        query = { ...query, status };
      } else if (k === '_sort') query = { ...query, sort: parseSort(v) };
      else if (k === '_count') query = { ...query, count: Math.min(Math.max(Number.parseInt(v, 10) || 50, 1), 1000) };
      else if (k === '_offset') {
        if (!/^\d{1,9}$/.test(v)) throw badRequest('_offset must be a whole number below 1,000,000,000', k);
        query = { ...query, offset: Number(v) };
      } else if (k !== '_format') throw badRequest(`AuditEvent search supports ${SEARCH_PARAMS}, not '${k}'`, k);
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
