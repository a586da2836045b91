// The table of search parameters the server supports: the official R4 SearchParameters (plus any
// Careloop adds), each compiled once into an extractor. Indexing, query parsing and the
// CapabilityStatement all read this table, so what is advertised is exactly what is indexed.
import { getR4Definitions, getTypeModel, type SearchParameterDefinition } from '../definitions/r4-definitions.js';
import {
  type CompiledPath,
  compilePath,
  compileRelativePath,
  splitUnion,
  termsForType,
} from '../fhirpath/compile-path.js';

export type SearchParamType = 'string' | 'token' | 'reference' | 'date' | 'number' | 'quantity' | 'uri' | 'composite';

export interface CompositeComponent {
  readonly type: Exclude<SearchParamType, 'composite'>;
  /** The component's expression, relative to each value of the composite's own expression. */
  readonly expression: string;
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
  /** Index name of the token :text modifier's rows (`code:text`). */
  readonly textParam: string;
  /** Index name of the reference :identifier modifier's rows (`subject:identifier`). */
  readonly identifierParam: string;
  /**
   * Set when the parameter selects exactly what other parameters select, so it has no index rows
   * of its own: `combo-code` is `code` plus `component-code`; `patient` is `subject` restricted to
   * Patient targets. Searches on it read the rows of `codes` (with the target type, if given).
   */
  readonly alias?: { readonly codes: readonly string[]; readonly targetType?: string };
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
  /** The parameters with index rows of their own: neither resource-row columns nor aliases. */
  indexed(resourceType: string): readonly SearchParam[];
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
  const indexed = new Map<string, readonly SearchParam[]>();
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
      indexed.delete(rt);
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
          expression: c.expression,
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
      textParam: `${def.code}:text`,
      identifierParam: `${def.code}:identifier`,
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
      for (const [code, alias] of findAliases([...map.values()])) {
        map.set(code, { ...(map.get(code) as SearchParam), alias });
      }
      compiled.set(rt, map);
    }
    return map;
  }

  return {
    get: (rt, code) => paramsOf(rt).get(code),
    list: (rt) => [...paramsOf(rt).values()],
    indexed: (rt) => {
      let list = indexed.get(rt);
      if (!list) {
        list = [...paramsOf(rt).values()].filter((p) => !COLUMN_PARAMS.has(p.code) && !p.alias);
        indexed.set(rt, list);
      }
      return list;
    },
    add: (def) => {
      byUrl.set(def.url, def);
      register(def);
    },
  };
}

/** What a composite's components are; plain parameters have none. */
function componentShape(p: SearchParam): string {
  return (p.components ?? []).map((c) => `${c.type}:${c.expression}`).join('$');
}

const WHERE_RESOLVE = /^(.*)\.where\(resolve\(\) is ([A-Za-z]+)\)$/;

/**
 * Parameters whose values are exactly those of others (see SearchParam.alias), found by comparing
 * their expressions term by term, so that nothing is indexed twice.
 */
export function findAliases(params: readonly SearchParam[]): Map<string, NonNullable<SearchParam['alias']>> {
  const aliases = new Map<string, NonNullable<SearchParam['alias']>>();
  const termsOf = new Map(params.map((p) => [p.code, new Set(splitUnion(p.expression))]));
  for (const p of params) {
    const terms = termsOf.get(p.code) as Set<string>;
    // `patient` = `subject.where(resolve() is Patient)` when `subject` is exactly the path.
    const only = terms.size === 1 ? [...terms][0] : undefined;
    const m = only ? WHERE_RESOLVE.exec(only) : null;
    if (m && p.type === 'reference') {
      const base = params.find((q) => q !== p && q.type === 'reference' && q.expression === m[1]);
      if (base) {
        aliases.set(p.code, { codes: [base.code], targetType: m[2] as string });
        continue;
      }
    }
    // `combo-code` = `code` | `component-code`: a union of two other parameters' terms.
    if (terms.size < 2) continue;
    const shape = componentShape(p);
    const candidates = params.filter((q) => {
      if (q === p || q.type !== p.type || componentShape(q) !== shape) return false;
      const qt = termsOf.get(q.code) as Set<string>;
      return qt.size < terms.size && [...qt].every((t) => terms.has(t));
    });
    for (let i = 0; i < candidates.length; i++) {
      for (let j = i + 1; j < candidates.length; j++) {
        const a = termsOf.get((candidates[i] as SearchParam).code) as Set<string>;
        const b = termsOf.get((candidates[j] as SearchParam).code) as Set<string>;
        const union = new Set([...a, ...b]);
        const disjoint = [...a].every((t) => !b.has(t));
        if (disjoint && union.size === terms.size && [...terms].every((t) => union.has(t)) && !aliases.has(p.code)) {
          aliases.set(p.code, { codes: [(candidates[i] as SearchParam).code, (candidates[j] as SearchParam).code] });
        }
      }
    }
  }
  // An alias of an alias would read rows nobody writes.
  for (const [code, alias] of aliases) if (alias.codes.some((c) => aliases.has(c))) aliases.delete(code);
  return aliases;
}

let registry: SearchParameterRegistry | undefined;

/** The registry of the official R4 parameters for every resource type. */
export function getSearchParameterRegistry(): SearchParameterRegistry {
  registry ??= createSearchParameterRegistry(getR4Definitions().searchParameters, getTypeModel().resourceTypes);
  return registry;
}
