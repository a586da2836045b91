// History and vread (R4 §3.1.0.4, §3.1.0.3): every version of a resource, of a type or of the
// server, newest first and paged; one version by its id.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildHistoryBundle } from '../../fhir/bundle/searchset.js';
import { baseUrlOf, sendJsonText, sendResource } from '../http/fhir-reply.js';
import { type Params, queryPairs, type RouteDeps } from './resource-routes.js';

export function registerHistoryRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const base = (req: FastifyRequest): string => baseUrlOf(req, deps.baseUrl);
  const history = async (req: FastifyRequest<{ Params: Partial<Params> }>, reply: FastifyReply, path: string) => {
    const params = queryPairs(req);
    const page = await req.fhir.history({
      ...(req.params.type ? { type: req.params.type } : {}),
      ...(req.params.id ? { id: req.params.id } : {}),
      params,
    });
    return sendJsonText(
      reply,
      200,
      buildHistoryBundle({
        baseUrl: base(req),
        path,
        versions: page.versions,
        total: page.total,
        count: page.count,
        offset: page.offset,
        params,
      }),
    );
  };
  app.get<{ Params: Params }>('/fhir/:type/:id/_history', (req, reply) =>
    history(req, reply, `${req.params.type}/${req.params.id}/_history`),
  );
  app.get<{ Params: Params }>('/fhir/:type/_history', (req, reply) =>
    history(req, reply, `${req.params.type}/_history`),
  );
  app.get('/fhir/_history', (req, reply) =>
    history(req as FastifyRequest<{ Params: Partial<Params> }>, reply, '_history'),
  );

  app.get<{ Params: Params }>('/fhir/:type/:id/_history/:vid', async (req, reply) => {
    const v = await req.fhir.vread(req.params.type, req.params.id, req.params.vid);
    return sendResource(reply, v);
  });
}
