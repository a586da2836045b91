// GET /fhir/metadata: the CapabilityStatement, generated from the type model, the search parameter
// registry and the operations the server registered.
import type { FastifyInstance } from 'fastify';
import { buildCapabilityStatement, type OperationDeclaration } from '../../fhir/capability-statement.js';
import { getTypeModel } from '../../fhir/definitions/r4-definitions.js';
import { getSearchParameterRegistry } from '../../fhir/search/search-parameter-registry.js';
import { baseUrlOf, sendJsonText } from '../http/fhir-reply.js';
import type { RouteDeps } from './resource-routes.js';

export const OPERATIONS: readonly OperationDeclaration[] = [
  {
    name: 'expand',
    definition: 'http://hl7.org/fhir/OperationDefinition/ValueSet-expand',
    resourceTypes: ['ValueSet'],
  },
  {
    name: 'lookup',
    definition: 'http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup',
    resourceTypes: ['CodeSystem'],
  },
  {
    name: 'everything',
    definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
    resourceTypes: ['Patient'],
  },
  {
    name: 'export',
    definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export',
    resourceTypes: ['Patient'],
  },
  {
    name: 'export',
    definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export',
    resourceTypes: ['Group'],
  },
  { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export', resourceTypes: [] },
];

export function registerMetadataRoute(app: FastifyInstance, deps: RouteDeps & { version: string }): void {
  const cache = new Map<string, string>();
  app.get('/fhir/metadata', { config: { public: true } }, async (req, reply) => {
    const baseUrl = baseUrlOf(req, deps.baseUrl);
    let text = cache.get(baseUrl);
    if (!text) {
      text = JSON.stringify(
        buildCapabilityStatement({
          baseUrl,
          software: { name: 'Careloop', version: deps.version },
          model: getTypeModel(),
          registry: getSearchParameterRegistry(),
          operations: OPERATIONS,
          date: new Date().toISOString(),
        }),
      );
      cache.set(baseUrl, text);
    }
    return sendJsonText(reply, 200, text);
  });
}
