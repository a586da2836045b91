// The RESTful interactions on /fhir (R4 §3.1.0): read, create, update, patch, delete, their
// conditional forms, search and batch/transaction (history and vread: history-routes.ts). Each handler parses the request, calls the repository, and
// answers; the rules live below.

import type { Bundle, Parameters } from '@medplum/fhirtypes';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { buildSearchset } from '../../fhir/bundle/searchset.js';
import { badRequest, OutcomeError, toOperationOutcome } from '../../fhir/outcome.js';
import { parseJsonPatch } from '../../fhir/patch/apply-json-patch.js';
import type { SearchResult } from '../../store/repository/create-fhir-repository.js';
import type { PatchBody, WriteResult } from '../../store/repository/write-operations.js';
import { baseUrlOf, preferOf, sendJsonText, sendResource, sendWrite } from '../http/fhir-reply.js';

export interface RouteDeps {
  readonly baseUrl: string | undefined;
  /** The clinic's clock: now, today and the day of an instant (src/care/calendar/clinic-clock.ts). */
  readonly clock: ClinicClock;
}

export type Params = { type: string; id: string; vid: string };

/** Query parameters in order, repeats kept (`a=1&a=2` is AND). */
export function queryPairs(req: FastifyRequest): [string, string][] {
  const q = req.url.indexOf('?');
  return q < 0 ? [] : [...new URLSearchParams(req.url.slice(q + 1))];
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function sendSearch(reply: FastifyReply, baseUrl: string, path: string, result: SearchResult): FastifyReply {
  const warnings = [
    ...result.parsed.ignored.map((i) => `Ignored parameter '${i.name}': ${i.reason}`),
    ...result.page.warnings,
  ];
  const text = buildSearchset({
    baseUrl,
    path,
    applied: result.parsed.applied,
    request: result.parsed.request,
    matches: result.page.matches,
    included: result.page.included,
    total: result.page.total,
    hasMore: result.page.hasMore,
    snapshot: result.page.snapshot,
    ...(warnings.length
      ? {
          outcome: JSON.stringify(
            toOperationOutcome(warnings.map((w) => ({ severity: 'warning', code: 'informational', diagnostics: w }))),
          ),
        }
      : {}),
  });
  return sendJsonText(reply, 200, text);
}

function patchBodyOf(req: FastifyRequest): PatchBody {
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/json-patch+json'))
    return { kind: 'json-patch', operations: parseJsonPatch(req.body) };
  const body = req.body as { resourceType?: string } | undefined;
  if (body?.resourceType === 'Parameters') return { kind: 'fhirpath-patch', parameters: body as Parameters };
  throw new OutcomeError(
    'not-supported',
    'PATCH takes application/json-patch+json (JSON Patch) or a FHIRPath Patch Parameters resource',
    { status: 415 },
  );
}

function requireBody(req: FastifyRequest): unknown {
  if (req.body === undefined || req.body === null) throw badRequest('The request needs a FHIR JSON body');
  return req.body;
}

export function registerResourceRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const base = (req: FastifyRequest): string => baseUrlOf(req, deps.baseUrl);
  /** A create or update: 201 when it created the resource, else 200 with what happened. */
  const sendStored = (
    req: FastifyRequest,
    reply: FastifyReply,
    result: Pick<WriteResult, 'stored' | 'created'>,
    otherwise: string,
  ) =>
    sendWrite(req, reply, base(req), result.stored, result.created ? 201 : 200, result.created ? 'Created' : otherwise);

  const search = async (
    req: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    extra: [string, string][] = [],
  ) => {
    const lenient = preferOf(req).handling === 'lenient';
    const result = await req.fhir.search(req.params.type, [...queryPairs(req), ...extra], { lenient });
    return sendSearch(reply, base(req), req.params.type, result);
  };

  app.get<{ Params: Params }>('/fhir/:type', (req, reply) => search(req, reply));
  app.post<{ Params: Params }>('/fhir/:type/_search', (req, reply) =>
    search(req, reply, Array.isArray(req.body) ? (req.body as [string, string][]) : []),
  );

  app.post<{ Params: Params }>('/fhir/:type', async (req, reply) => {
    const body = requireBody(req) as { resourceType?: unknown };
    if (body.resourceType !== req.params.type) {
      throw badRequest(`The body is a ${String(body.resourceType)}, the URL says ${req.params.type}`, 'resourceType');
    }
    const ifNoneExist = header(req, 'if-none-exist');
    const result = await req.fhir.create(body, ifNoneExist !== undefined ? { ifNoneExist } : {});
    return sendStored(req, reply, result, 'A matching resource already exists');
  });

  app.put<{ Params: Params }>('/fhir/:type', async (req, reply) => {
    const result = await req.fhir.conditionalUpdate(req.params.type, queryPairs(req), requireBody(req));
    return sendStored(req, reply, result, 'Updated');
  });

  app.delete<{ Params: Params }>('/fhir/:type', async (req, reply) => {
    await req.fhir.conditionalDelete(req.params.type, queryPairs(req));
    return reply.code(204).send();
  });

  app.get<{ Params: Params }>('/fhir/:type/:id', async (req, reply) => {
    if (req.params.id.startsWith('$')) {
      throw new OutcomeError('not-supported', `Operation ${req.params.id} is not supported on ${req.params.type}`, {
        status: 400,
      });
    }
    const v = await req.fhir.read(req.params.type, req.params.id);
    const ifNoneMatch = header(req, 'if-none-match');
    if (ifNoneMatch && ifNoneMatch.replace(/^W\//, '') === `"${v.versionId}"`) return reply.code(304).send();
    return sendResource(reply, v);
  });

  app.put<{ Params: Params }>('/fhir/:type/:id', async (req, reply) => {
    const ifMatch = header(req, 'if-match');
    const result = await req.fhir.update(
      req.params.type,
      req.params.id,
      requireBody(req),
      ifMatch !== undefined ? { ifMatch } : {},
    );
    return sendStored(req, reply, result, result.changed ? 'Updated' : 'No change');
  });

  app.patch<{ Params: Params }>('/fhir/:type/:id', async (req, reply) => {
    const ifMatch = header(req, 'if-match');
    const result = await req.fhir.patch(
      req.params.type,
      req.params.id,
      patchBodyOf(req),
      ifMatch !== undefined ? { ifMatch } : {},
    );
    return sendWrite(req, reply, base(req), result.stored, 200, result.changed ? 'Patched' : 'No change');
  });

  app.delete<{ Params: Params }>('/fhir/:type/:id', async (req, reply) => {
    await req.fhir.delete(req.params.type, req.params.id);
    return reply.code(204).send();
  });

  // Compartment search (R4 §3.1.1.0.2): GET Patient/{id}/{type}?params.
  app.get<{ Params: { type: string; id: string; target: string } }>('/fhir/:type/:id/:target', async (req, reply) => {
    const { type, id, target } = req.params;
    if (type !== 'Patient')
      throw new OutcomeError('not-supported', `Only the Patient compartment can be searched, not ${type}`, {
        status: 400,
      });
    if (target.startsWith('$'))
      throw new OutcomeError('not-supported', `Operation ${target} is not supported on ${type}`, { status: 400 });
    await req.fhir.read('Patient', id);
    const lenient = preferOf(req).handling === 'lenient';
    const result = await req.fhir.search(target, queryPairs(req), { lenient, patientCompartment: id });
    return sendSearch(reply, base(req), `Patient/${id}/${target}`, result);
  });

  const bundle = async (req: FastifyRequest, reply: FastifyReply) => {
    const result = await req.fhir.processBundle(requireBody(req) as Bundle, base(req));
    return sendJsonText(reply, 200, JSON.stringify(result));
  };
  app.post('/fhir', bundle);
  app.post('/fhir/', bundle);
}
