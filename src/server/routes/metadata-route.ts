// GET /fhir/metadata: the CapabilityStatement, generated from the type model, the search parameter
// registry and the operations the server registered.

import type { CapabilityStatementRestSecurity } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import { SMART_ROUTES } from '../../access/auth/oidc/smart-routes.js';
import { ADT_TOPICS } from '../../care/notifications/adt-topics.js';
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
  ...['add-member', 'change-member', 'end-member'].map((name) => ({
    name,
    definition: `http://careloop.org/fhir/OperationDefinition/CareTeam-${name}`,
    resourceTypes: ['CareTeam'],
  })),
  {
    name: 'care-plan-history',
    definition: 'http://careloop.org/fhir/OperationDefinition/CarePlan-care-plan-history',
    resourceTypes: ['CarePlan'],
  },
  {
    name: 'mark-read',
    definition: 'http://careloop.org/fhir/OperationDefinition/Communication-mark-read',
    resourceTypes: ['Communication'],
  },
  {
    name: 'worklist',
    definition: 'http://careloop.org/fhir/OperationDefinition/Task-worklist',
    resourceTypes: ['Task'],
  },
  {
    name: 'care-summary',
    definition: 'http://careloop.org/fhir/OperationDefinition/Patient-care-summary',
    resourceTypes: ['Patient'],
  },
  {
    name: 'needs',
    definition: 'http://careloop.org/fhir/OperationDefinition/Patient-needs',
    resourceTypes: ['Patient'],
  },
  {
    name: 'find',
    definition: 'http://careloop.org/fhir/OperationDefinition/Slot-find',
    resourceTypes: ['Slot'],
  },
  {
    name: 'find-services',
    definition: 'http://careloop.org/fhir/OperationDefinition/HealthcareService-find-services',
    resourceTypes: ['HealthcareService'],
  },
  {
    name: 'referral-measure',
    definition: 'http://careloop.org/fhir/OperationDefinition/ServiceRequest-referral-measure',
    resourceTypes: ['ServiceRequest'],
  },
  ...['reconcile-medications', 'medication-schedule'].map((name) => ({
    name,
    definition: `http://careloop.org/fhir/OperationDefinition/Patient-${name}`,
    resourceTypes: ['Patient'],
  })),
  ...['reconciliation', 'record-decision', 'complete-reconciliation'].map((name) => ({
    name,
    definition: `http://careloop.org/fhir/OperationDefinition/List-${name}`,
    resourceTypes: ['List'],
  })),
  ...['readiness', 'tcm-status', 'after-hospital-plan', 'transition-measures'].map((name) => ({
    name,
    definition: `http://careloop.org/fhir/OperationDefinition/EpisodeOfCare-${name}`,
    resourceTypes: ['EpisodeOfCare'],
  })),
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
  // Hospital feeds and documents (issue 18).
  {
    name: 'import-ccda',
    definition: 'http://careloop.org/fhir/OperationDefinition/import-ccda',
    resourceTypes: [],
    documentation: 'A C-CDA R2.1 document as the body (application/cda+xml): kept whole, its sections as resources',
  },
  { name: 'ccda', definition: 'http://careloop.org/fhir/OperationDefinition/Patient-ccda', resourceTypes: ['Patient'] },
  {
    name: 'accept',
    definition: 'http://careloop.org/fhir/OperationDefinition/DocumentReference-accept',
    resourceTypes: ['DocumentReference'],
  },
  {
    name: 'attach-ccda',
    definition: 'http://careloop.org/fhir/OperationDefinition/ServiceRequest-attach-ccda',
    resourceTypes: ['ServiceRequest'],
  },
];

/** The subscription topics offered (Subscriptions R5 Backport IG, CapabilityStatement SubscriptionTopic Canonical). */
const TOPIC_EXTENSIONS = {
  Subscription: ADT_TOPICS.map((t) => ({
    url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical',
    valueCanonical: t.url,
  })),
};

/** SMART on FHIR: the service coding and the OAuth endpoints (SMART App Launch 2.0 §Conformance). */
function smartSecurity(baseUrl: string): CapabilityStatementRestSecurity {
  const root = baseUrl.replace(/\/fhir\/?$/, '');
  return {
    cors: false,
    service: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }],
        text: 'OAuth 2.0 bearer tokens with SMART scopes; see .well-known/smart-configuration',
      },
    ],
    extension: [
      {
        url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
        extension: [
          { url: 'authorize', valueUri: `${root}${SMART_ROUTES.authorization}` },
          { url: 'token', valueUri: `${root}${SMART_ROUTES.token}` },
          { url: 'revoke', valueUri: `${root}${SMART_ROUTES.revocation}` },
          { url: 'introspect', valueUri: `${root}${SMART_ROUTES.introspection}` },
        ],
      },
    ],
  };
}

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
          resourceExtensions: TOPIC_EXTENSIONS,
          security: smartSecurity(baseUrl),
          date: deps.clock.nowIso(),
        }),
      );
      cache.set(baseUrl, text);
    }
    return sendJsonText(reply, 200, text);
  });
}
