// CarePlan/{id}/$care-plan-history: who changed the plan and its goals, what and when, in words.
// The requester must be able to read the plan; the Provenance behind it is read by the server
// (Provenance is outside any patient's compartment, so it is not each requester's to search).
import type { CarePlan, Goal, Provenance } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import { buildPlanHistory, type VersionOf } from '../../care/careplan/build-plan-history.js';
import { optionalString } from '../../fhir/parameters/optional-parameter.js';
import { SEARCH_LIMITS } from '../../fhir/search/parse-search-request.js';
import { historyEvery, historyOfEach, searchEvery } from '../../store/read-every-page.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { StoredVersion } from '../../store/store.js';
import { FHIR_JSON } from '../http/fhir-reply.js';

const toVersion = <T>(v: StoredVersion): VersionOf<T> => ({
  id: v.id,
  versionId: v.versionId,
  lastUpdated: v.lastUpdated,
  resource: v.json ? (JSON.parse(v.json) as T) : undefined,
});

async function versionsOf<T>(fhir: FhirRepository, type: string, id: string): Promise<VersionOf<T>[]> {
  return (await historyEvery(fhir, type, id)).map((v) => toVersion<T>(v));
}

export function registerCarePlanHistoryRoute(app: FastifyInstance, system: FhirRepository): void {
  app.get<{ Params: { id: string } }>('/fhir/CarePlan/:id/$care-plan-history', async (req, reply) => {
    const plan = JSON.parse((await req.fhir.read('CarePlan', req.params.id)).json as string) as CarePlan;
    const patient = plan.subject.reference ?? '';
    const planVersions = await versionsOf<CarePlan>(req.fhir, 'CarePlan', req.params.id);
    const goalIds = new Set<string>();
    for (const v of planVersions)
      for (const g of v.resource?.goal ?? []) if (g.reference?.startsWith('Goal/')) goalIds.add(g.reference.slice(5));
    for (const goal of await searchEvery<Goal>(req.fhir, 'Goal', [['patient', patient]]))
      if (goal.id) goalIds.add(goal.id);
    const goalHistories = await historyOfEach(req.fhir, 'Goal', [...goalIds]);
    const goals = [...goalHistories.values()].map((versions) => versions.map((v) => toVersion<Goal>(v)));
    const targets = [`CarePlan/${req.params.id}`, ...[...goalIds].map((id) => `Goal/${id}`)];
    // A search takes at most SEARCH_LIMITS.orValues values of one parameter: ask in groups.
    const provenances: Provenance[] = [];
    for (let i = 0; i < targets.length; i += SEARCH_LIMITS.orValues) {
      provenances.push(
        ...(await searchEvery<Provenance>(system, 'Provenance', [
          ['target', targets.slice(i, i + SEARCH_LIMITS.orValues).join(',')],
        ])),
      );
    }
    const lines = buildPlanHistory(planVersions, goals, provenances);
    return reply.type(FHIR_JSON).send(
      JSON.stringify({
        resourceType: 'Parameters',
        parameter: lines.map((l) => ({
          name: 'change',
          part: [
            { name: 'when', valueDateTime: l.when },
            { name: 'who', valueString: l.who },
            ...optionalString('role', l.role),
            { name: 'text', valueString: l.text },
            { name: 'target', valueReference: { reference: l.target } },
          ],
        })),
      }),
    );
  });
}
