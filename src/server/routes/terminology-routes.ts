// ValueSet/$expand and CodeSystem/$lookup over FHIR's and Careloop's shipped terminology and any
// ValueSet or CodeSystem stored on the server.

import type { CodeSystem, Parameters, ValueSet } from '@medplum/fhirtypes';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { badRequest } from '../../fhir/outcome.js';
import { getBuiltinTerminology } from '../../fhir/terminology/builtin-terminology.js';
import { createTerminologyIndex, type TerminologyIndex } from '../../fhir/terminology/terminology-index.js';
import { expandValueSet, lookupCode } from '../../fhir/terminology/terminology-operations.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import { sendJsonText } from '../http/fhir-reply.js';
import { queryPairs } from './resource-routes.js';

/** Stored resources by canonical url (current versions). */
async function storedByUrl<T>(repository: FhirRepository, type: 'ValueSet' | 'CodeSystem', url: string): Promise<T[]> {
  const { page } = await repository.search(type, [
    ['url', url.split('|')[0] ?? url],
    ['_count', '5'],
  ]);
  return page.matches.flatMap((m) => (m.json ? [JSON.parse(m.json) as T] : []));
}

/** The index to expand with: stored content the value set names, layered over the shipped terminology. */
async function indexFor(
  repository: FhirRepository,
  valueSet: ValueSet | undefined,
  url: string | undefined,
): Promise<{ index: TerminologyIndex; url: string }> {
  const local: (ValueSet | CodeSystem)[] = [];
  let vs = valueSet;
  if (!vs && url) vs = (await storedByUrl<ValueSet>(repository, 'ValueSet', url))[0];
  if (vs) {
    local.push(vs);
    for (const inc of [...(vs.compose?.include ?? []), ...(vs.compose?.exclude ?? [])]) {
      if (inc.system) local.push(...(await storedByUrl<CodeSystem>(repository, 'CodeSystem', inc.system)));
      for (const inner of inc.valueSet ?? [])
        local.push(...(await storedByUrl<ValueSet>(repository, 'ValueSet', inner)));
    }
  }
  const resolvedUrl = vs?.url ?? url;
  if (!resolvedUrl) throw badRequest('$expand needs a url, a ValueSet id or a valueSet parameter');
  return {
    index: local.length ? createTerminologyIndex(local, getBuiltinTerminology()) : getBuiltinTerminology(),
    url: resolvedUrl,
  };
}

function intParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw badRequest(`${name} must be a non-negative integer`);
  return Number(value);
}

function paramsOf(req: FastifyRequest): Map<string, unknown> {
  const out = new Map<string, unknown>(queryPairs(req));
  const body = req.body as Parameters | undefined;
  if (body?.resourceType === 'Parameters') {
    for (const p of body.parameter ?? []) {
      const key = Object.keys(p).find((k) => k.startsWith('value') || k === 'resource');
      if (p.name && key) out.set(p.name, (p as unknown as Record<string, unknown>)[key]);
    }
  }
  return out;
}

export function registerTerminologyRoutes(app: FastifyInstance, clock: ClinicClock): void {
  const expand = async (req: FastifyRequest<{ Params: { id?: string } }>, reply: FastifyReply) => {
    const params = paramsOf(req);
    let valueSet = params.get('valueSet') as ValueSet | undefined;
    if (req.params.id)
      valueSet = JSON.parse((await req.fhir.read('ValueSet', req.params.id)).json as string) as ValueSet;
    const url = params.get('url') as string | undefined;
    const { index, url: resolved } = await indexFor(req.fhir, valueSet, url);
    const count = intParam(params.get('count') as string | undefined, 'count');
    const offset = intParam(params.get('offset') as string | undefined, 'offset');
    const filter = params.get('filter') as string | undefined;
    const result = expandValueSet(index, resolved, {
      ...(filter ? { filter } : {}),
      ...(count !== undefined ? { count } : {}),
      ...(offset !== undefined ? { offset } : {}),
      now: new Date(clock.now()),
    });
    return sendJsonText(reply, 200, JSON.stringify(result));
  };
  app.get('/fhir/ValueSet/$expand', expand);
  app.post('/fhir/ValueSet/$expand', expand);
  app.get('/fhir/ValueSet/:id/$expand', expand);

  const lookup = async (req: FastifyRequest, reply: FastifyReply) => {
    const params = paramsOf(req);
    const coding = params.get('coding') as { system?: string; code?: string } | undefined;
    const system = (params.get('system') as string | undefined) ?? coding?.system;
    const code = (params.get('code') as string | undefined) ?? coding?.code;
    if (!system || !code) throw badRequest('$lookup needs system and code (or coding)');
    const stored = await storedByUrl<CodeSystem>(req.fhir, 'CodeSystem', system);
    const index = stored.length ? createTerminologyIndex(stored, getBuiltinTerminology()) : getBuiltinTerminology();
    return sendJsonText(reply, 200, JSON.stringify(lookupCode(index, system, code)));
  };
  app.get('/fhir/CodeSystem/$lookup', lookup);
  app.post('/fhir/CodeSystem/$lookup', lookup);
}
