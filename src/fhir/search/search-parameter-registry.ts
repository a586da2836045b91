// The table of search parameters the server supports: the official R4 SearchParameters (plus any
// Careloop adds), each compiled once into an extractor. Indexing, query parsing and the
// CapabilityStatement all read this table, so what is advertised is exactly what is indexed.
import { getR4Definitions, getTypeModel, type SearchParameterDefinition } from '../definitions/r4-definitions.js';
import { type CompiledPath, compilePath, compileRelativePath, termsForType } from '../fhirpath/compile-path.js';

export type SearchParamType = 'string' | 'token' | 'reference' | 'date' | 'number' | 'quantity' | 'uri' | 'composite';

export interface CompositeComponent {
  readonly type: Exclude<SearchParamType, 'composite'>;
  readonly evaluate: CompiledPath;
}

export interface SearchParam {
  readonly code: string;
  readonly type: SearchParamType;
  readonly resourceType: string;
  readonly url: string;
  readonly description?: string;
  /** Expression restricted to this resource type (what is extracted). */
  readonly expression: string;
  readonly evaluate: CompiledPath;
  /** Resource types a reference parameter may point at. */
  readonly targets: readonly string[];
  /** For composites: the two components, evaluated relative to each result of `evaluate`. */
  readonly components?: readonly CompositeComponent[];
}

const SUPPORTED: ReadonlySet<string> = new Set([
  'string',
  'token',
  'reference',
  'date',
  'number',
  'quantity',
  'uri',
  'composite',
]);

/** Parameters answered from the resource table itself rather than an index table. */
export const COLUMN_PARAMS: ReadonlySet<string> = new Set(['_id', '_lastUpdated']);

export interface SearchParameterRegistry {
  get(resourceType: string, code: string): SearchParam | undefined;
  list(resourceType: string): readonly SearchParam[];
  /** Adds (or replaces) a parameter definition, e.g. one of Careloop's own. */
  add(definition: SearchParameterDefinition): void;
}

function appliesTo(def: SearchParameterDefinition, resourceType: string): boolean {
  return def.base.includes(resourceType) || def.base.includes('Resource') || def.base.includes('DomainResource');
}

export function createSearchParameterRegistry(
  definitions: readonly SearchParameterDefinition[],
  resourceTypes: readonly string[],
): SearchParameterRegistry {
  const byUrl = new Map(definitions.map((d) => [d.url, d]));
  const defsByType = new Map<string, Map<string, SearchParameterDefinition>>();
  const compiled = new Map<string, Map<string, SearchParam>>();
  const model = getTypeModel();

  function register(def: SearchParameterDefinition): void {
    if (!SUPPORTED.has(def.type) || !def.expression) return;
    for (const rt of def.base.includes('Resource') || def.base.includes('DomainResource') ? resourceTypes : def.base) {
      if (!appliesTo(def, rt)) continue;
      let map = defsByType.get(rt);
      if (!map) {
        map = new Map();
        defsByType.set(rt, map);
      }
      map.set(def.code, def);
      compiled.delete(rt);
    }
  }
  for (const def of definitions) register(def);

  function compileFor(rt: string, def: SearchParameterDefinition): SearchParam | undefined {
    const terms = termsForType(def.expression ?? '', rt);
    if (terms.length === 0) return undefined;
    const expression = terms.join(' | ');
    let components: CompositeComponent[] | undefined;
    if (def.type === 'composite') {
      components = [];
      for (const c of def.component ?? []) {
        const target = byUrl.get(c.definition);
        if (!target || target.type === 'composite' || !SUPPORTED.has(target.type)) return undefined;
        components.push({
          type: target.type as CompositeComponent['type'],
          evaluate: compileRelativePath(c.expression, model).evaluate,
        });
      }
      // Index rows hold two components; the R4 composites the care domain uses all have two.
      if (components.length !== 2) return undefined;
    }
    return {
      code: def.code,
      type: def.type as SearchParamType,
      resourceType: rt,
      url: def.url,
      ...(def.description ? { description: def.description } : {}),
      expression,
      evaluate: compilePath(expression, model).evaluate,
      targets: def.target ?? [],
      ...(components ? { components } : {}),
    };
  }

  function paramsOf(rt: string): Map<string, SearchParam> {
    let map = compiled.get(rt);
    if (!map) {
      map = new Map();
      for (const def of defsByType.get(rt)?.values() ?? []) {
        const param = compileFor(rt, def);
        if (param) map.set(param.code, param);
      }
      compiled.set(rt, map);
    }
    return map;
  }

  return {
    get: (rt, code) => paramsOf(rt).get(code),
    list: (rt) => [...paramsOf(rt).values()],
    add: (def) => {
      byUrl.set(def.url, def);
      register(def);
    },
  };
}

let registry: SearchParameterRegistry | undefined;

/** The registry of the official R4 parameters for every resource type. */
export function getSearchParameterRegistry(): SearchParameterRegistry {
  registry ??= createSearchParameterRegistry(getR4Definitions().searchParameters, getTypeModel().resourceTypes);
  return registry;
}
