// Patient/{id}/$everything: the patient's compartment and what it references, as a searchset.
import type { FastifyInstance } from 'fastify';
import { baseUrlOf } from '../http/fhir-reply.js';
import { queryPairs, type RouteDeps, sendSearch } from './resource-routes.js';

export function registerEverythingRoute(app: FastifyInstance, deps: RouteDeps): void {
  app.get<{ Params: { id: string } }>('/fhir/Patient/:id/$everything', async (req, reply) => {
    const result = await req.fhir.everything(req.params.id, queryPairs(req));
    return sendSearch(reply, baseUrlOf(req, deps.baseUrl), `Patient/${req.params.id}/$everything`, result);
  });
}
