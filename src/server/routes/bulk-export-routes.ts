// Bulk Data Access (HL7 FHIR Bulk Data IG v2): kick-off at the system, Patient and Group levels,
// status polling, cancellation and the NDJSON files.
import { createReadStream, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { scopesAllow } from '../../access/scopes/smart-scopes.js';
import { getTypeModel } from '../../fhir/definitions/r4-definitions.js';
import { badRequest, OutcomeError } from '../../fhir/outcome.js';
import {
  BULK_EXPORT_JOB,
  type BulkExportPayload,
  type BulkExportResult,
  exportDirectory,
} from '../../jobs/bulk-export/bulk-export-job.js';
import type { JobRunner } from '../../jobs/job-runner.js';
import type { Job, Store } from '../../store/store.js';
import { baseUrlOf, preferOf, sendJsonText } from '../http/fhir-reply.js';
import { principalOf } from '../http/request-context.js';
import { queryPairs, type RouteDeps } from './resource-routes.js';

export interface BulkExportDeps extends RouteDeps {
  readonly store: Store;
  readonly exportRoot: string;
  readonly jobs: JobRunner | undefined;
}

/**
 * Exports run as the system, past every access rule, so only backend clients with system scopes
 * may start one (SMART Backend Services), and only the client that started an export may see it.
 */
function exportOwner(req: FastifyRequest): string {
  const principal = principalOf(req);
  if (principal.role !== 'system' || !scopesAllow(principal.scopes, '*', 'r')) {
    throw new OutcomeError('forbidden', 'Bulk export is for backend clients with system/*.rs scope', { status: 403 });
  }
  req.audit.kind = 'export';
  return principal.id;
}

async function ownedJob(store: Store, req: FastifyRequest, id: string): Promise<Job | undefined> {
  const owner = exportOwner(req);
  const job = await store.getJob(id);
  if (!job || job.kind !== BULK_EXPORT_JOB || (job.payload as BulkExportPayload).owner !== owner) return undefined;
  return job;
}

const NDJSON_FORMATS = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);

function kickOffPayload(
  req: FastifyRequest,
  level: BulkExportPayload['level'],
  groupId: string | undefined,
  lenient: boolean,
): BulkExportPayload {
  let types: string[] | undefined;
  let since: number | undefined;
  for (const [k, v] of queryPairs(req)) {
    if (k === '_outputFormat') {
      if (!NDJSON_FORMATS.has(v))
        throw badRequest(`_outputFormat '${v}' is not supported; use application/fhir+ndjson`, '_outputFormat');
    } else if (k === '_type') {
      types = [
        ...(types ?? []),
        ...v
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ];
      for (const t of types)
        if (!getTypeModel().isResourceType(t)) throw badRequest(`Unknown resource type '${t}' in _type`, '_type');
    } else if (k === '_since') {
      since = Date.parse(v);
      if (Number.isNaN(since)) throw badRequest(`_since must be an instant, not '${v}'`, '_since');
    } else if (!lenient) {
      throw badRequest(`Export parameter '${k}' is not supported`, k);
    }
  }
  return {
    level,
    ...(groupId ? { groupId } : {}),
    ...(types ? { types } : {}),
    ...(since !== undefined ? { since } : {}),
    transactionTime: new Date().toISOString(),
    request: req.url,
  };
}

export function registerBulkExportRoutes(app: FastifyInstance, deps: BulkExportDeps): void {
  const { store } = deps;
  const base = (req: FastifyRequest): string => baseUrlOf(req, deps.baseUrl);

  const kickOff = async (
    req: FastifyRequest,
    reply: FastifyReply,
    level: BulkExportPayload['level'],
    groupId?: string,
  ) => {
    const owner = exportOwner(req);
    const prefer = preferOf(req);
    if (!prefer.respondAsync) throw badRequest('$export runs asynchronously: send Prefer: respond-async');
    if (groupId) await req.fhir.read('Group', groupId);
    const id = crypto.randomUUID();
    await store.enqueueJob({
      id,
      kind: BULK_EXPORT_JOB,
      payload: { ...kickOffPayload(req, level, groupId, prefer.handling === 'lenient'), owner },
    });
    deps.jobs?.poke();
    reply.header('Content-Location', `${base(req)}/$export-status/${id}`);
    return reply.code(202).send();
  };
  app.get('/fhir/$export', (req, reply) => kickOff(req, reply, 'system'));
  app.get('/fhir/Patient/$export', (req, reply) => kickOff(req, reply, 'patient'));
  app.get<{ Params: { id: string } }>('/fhir/Group/:id/$export', (req, reply) =>
    kickOff(req, reply, 'group', req.params.id),
  );

  app.get<{ Params: { id: string } }>('/fhir/$export-status/:id', async (req, reply) => {
    const job = await ownedJob(store, req, req.params.id);
    if (!job || job.status === 'cancelled') throw new OutcomeError('not-found', 'No such export');
    if (job.status === 'queued' || job.status === 'running') {
      reply.header('X-Progress', job.progress ?? (job.status === 'queued' ? 'queued' : 'started'));
      reply.header('Retry-After', '1');
      return reply.code(202).send();
    }
    if (job.status === 'failed') throw new OutcomeError('exception', 'The export failed', { status: 500 });
    const payload = job.payload as BulkExportPayload;
    const result = job.result as BulkExportResult;
    const manifest = {
      transactionTime: payload.transactionTime,
      request: `${base(req)}${payload.request.replace(/^\/fhir/, '')}`,
      requiresAccessToken: true,
      output: result.output.map((o) => ({
        type: o.type,
        url: `${base(req)}/$export-file/${job.id}/${o.file}`,
        count: o.count,
      })),
      error: [],
    };
    reply.header('Expires', new Date(job.updatedAt + 24 * 3600_000).toUTCString());
    return reply.code(200).type('application/json').send(JSON.stringify(manifest));
  });

  app.delete<{ Params: { id: string } }>('/fhir/$export-status/:id', async (req, reply) => {
    const job = await ownedJob(store, req, req.params.id);
    if (!job || job.status === 'cancelled') throw new OutcomeError('not-found', 'No such export');
    await store.updateJob(job.id, { status: 'cancelled' });
    rmSync(exportDirectory(deps.exportRoot, job.id), { recursive: true, force: true });
    return sendJsonText(
      reply,
      202,
      JSON.stringify({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'information', code: 'informational', diagnostics: 'Export cancelled' }],
      }),
    );
  });

  app.get<{ Params: { id: string; file: string } }>('/fhir/$export-file/:id/:file', async (req, reply) => {
    const { id, file } = req.params;
    if (!/^[A-Za-z0-9-]+$/.test(id) || !/^[A-Za-z]+\.ndjson$/.test(file))
      throw new OutcomeError('not-found', 'No such file');
    const job = await ownedJob(store, req, id);
    const path = join(exportDirectory(deps.exportRoot, id), file);
    if (job?.status !== 'completed' || !existsSync(path)) throw new OutcomeError('not-found', 'No such file');
    return reply.code(200).type('application/fhir+ndjson').send(createReadStream(path));
  });
}
