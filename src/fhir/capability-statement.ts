// The CapabilityStatement (GET /fhir/metadata), generated from the same tables the server runs on:
// every resource type of the type model, every search parameter of the registry, the operations the
// server registered. Nothing here is typed by hand, so it cannot drift from what the server does.
import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestSecurity,
  Extension,
  ResourceType,
} from '@medplum/fhirtypes';
import type { TypeModel } from './model/type-model.js';
import type { SearchParameterRegistry } from './search/search-parameter-registry.js';

export interface OperationDeclaration {
  readonly name: string;
  readonly definition: string;
  /** Resource types it applies to; empty for system-level. */
  readonly resourceTypes: readonly string[];
  readonly documentation?: string;
}

export interface CapabilityInput {
  readonly baseUrl: string;
  readonly software: { readonly name: string; readonly version: string };
  readonly model: TypeModel;
  readonly registry: SearchParameterRegistry;
  readonly operations: readonly OperationDeclaration[];
  /** Extensions of a resource type's entry (the subscription topics a server offers, on Subscription). */
  readonly resourceExtensions?: Readonly<Record<string, readonly Extension[]>>;
  /** Extra security description (filled by the access layer). */
  readonly security?: CapabilityStatementRestSecurity;
  readonly date: string;
}

const INTERACTIONS = [
  'read',
  'vread',
  'update',
  'patch',
  'delete',
  'history-instance',
  'history-type',
  'create',
  'search-type',
] as const;

function resourceEntry(input: CapabilityInput, type: string): CapabilityStatementRestResource {
  const params = input.registry.list(type);
  const references = params.filter((p) => p.type === 'reference');
  const operations = input.operations.filter((o) => o.resourceTypes.includes(type));
  const extension = input.resourceExtensions?.[type];
  return {
    ...(extension?.length ? { extension: [...extension] } : {}),
    type: type as ResourceType,
    profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
    interaction: INTERACTIONS.map((code) => ({ code })),
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalRead: 'not-supported',
    conditionalUpdate: true,
    conditionalDelete: 'single',
    referencePolicy: ['literal', 'logical'],
    searchInclude: ['*', ...references.map((p) => `${type}:${p.code}`)],
    searchRevInclude: [],
    searchParam: params
      .map((p) => ({
        name: p.code,
        definition: p.url,
        type: p.type,
        ...(p.description ? { documentation: p.description } : {}),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    ...(operations.length
      ? {
          operation: operations.map((o) => ({
            name: o.name,
            definition: o.definition,
            ...(o.documentation ? { documentation: o.documentation } : {}),
          })),
        }
      : {}),
  };
}

export function buildCapabilityStatement(input: CapabilityInput): CapabilityStatement {
  const resources = input.model.resourceTypes.map((t) => resourceEntry(input, t));
  // _revinclude: every (source type, reference parameter) pair that can point at the type.
  const revByTarget = new Map<string, string[]>();
  for (const r of resources) {
    for (const p of input.registry.list(r.type as string)) {
      if (p.type !== 'reference') continue;
      const targets = p.targets.length ? p.targets : input.model.resourceTypes;
      for (const t of targets) {
        const list = revByTarget.get(t) ?? [];
        list.push(`${r.type}:${p.code}`);
        revByTarget.set(t, list);
      }
    }
  }
  for (const r of resources) r.searchRevInclude = revByTarget.get(r.type as string) ?? [];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: input.date,
    publisher: 'Careloop',
    kind: 'instance',
    software: { name: input.software.name, version: input.software.version },
    implementation: { description: 'Careloop FHIR R4 server', url: input.baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: ['application/json-patch+json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        ...(input.security ? { security: input.security } : {}),
        resource: resources,
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'history-system' }],
        operation: input.operations
          .filter((o) => o.resourceTypes.length === 0)
          .map((o) => ({
            name: o.name,
            definition: o.definition,
            ...(o.documentation ? { documentation: o.documentation } : {}),
          })),
      },
    ],
  };
}
