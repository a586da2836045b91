// The one place that uses the fhirpath.js reference engine. Used where a general FHIRPath evaluation is
// needed (FHIRPath Patch, the rare search expression the fast path compiler does not cover).
import { createRequire } from 'node:module';

interface FhirPathLibrary {
  compile(expression: string, model: unknown, options?: Record<string, unknown>): unknown;
  parse(expression: string): unknown;
}

// Loaded on first use: the engine takes a quarter of a second to load and most processes (imports,
// plain REST traffic) never need it, since search expressions are compiled by compile-path.ts.
let engine: { fhirpath: FhirPathLibrary; model: unknown } | undefined;
function load(): { fhirpath: FhirPathLibrary; model: unknown } {
  if (!engine) {
    const require = createRequire(import.meta.url);
    engine = { fhirpath: require('fhirpath') as FhirPathLibrary, model: require('fhirpath/fhir-context/r4') };
  }
  return engine;
}

/** A node of a resource reached by an expression: its value, its FHIR type, and where it sits. */
export interface LocatedNode {
  readonly data: unknown;
  /** FHIR type name (`HumanName`, `dateTime`, `Patient`, ...), when known. */
  readonly type: string | undefined;
  /** The JSON object that holds this node, or undefined for the root. */
  readonly parent: Record<string, unknown> | undefined;
  /** Property name in the parent (`valueQuantity` for a choice). */
  readonly propName: string | undefined;
  /** Position in the parent's array, when the property repeats. */
  readonly index: number | undefined;
  /** Element path without indexes (`Patient.contact.name`), when known. */
  readonly path: string | undefined;
}

interface ResourceNodeLike {
  data: unknown;
  parentResNode: ResourceNodeLike | null;
  propName: string | null;
  index: number | null;
  fhirNodeDataType: string | null;
  path: string | null;
}

type Evaluator = (resource: unknown, env?: Record<string, unknown>) => unknown[];

const plainCache = new Map<string, Evaluator>();
const nodeCache = new Map<string, Evaluator>();

/**
 * Element names that are FHIRPath keywords (`text.div`) must be written as delimited identifiers for
 * the engine's grammar; FHIR expressions such as FHIRPath Patch paths use them plainly.
 */
function quoteKeywordMembers(expression: string): string {
  return expression.replace(/\.(div|mod|and|or|xor|implies|in|contains)\b(?!\s*\()/g, '.`$1`');
}

function compiled(cache: Map<string, Evaluator>, expression: string, raw: boolean): Evaluator {
  let fn = cache.get(expression);
  if (!fn) {
    const { fhirpath, model } = load();
    fn = fhirpath.compile(
      quoteKeywordMembers(expression),
      model,
      raw ? { resolveInternalTypes: false } : {},
    ) as Evaluator;
    cache.set(expression, fn);
  }
  return fn;
}

/** Evaluates an expression and returns plain JSON values. Throws on a syntax error. */
export function evaluateFhirPath(resource: unknown, expression: string, env: Record<string, unknown> = {}): unknown[] {
  return compiled(plainCache, expression, false)(resource, env);
}

function isResourceNode(v: unknown): v is ResourceNodeLike {
  return typeof v === 'object' && v !== null && 'parentResNode' in v && 'data' in v;
}

/** Evaluates an expression and returns where each result sits in the resource. */
export function locateFhirPath(
  resource: unknown,
  expression: string,
  env: Record<string, unknown> = {},
): LocatedNode[] {
  const results = compiled(nodeCache, expression, true)(resource, env);
  return results.map((r) => {
    if (!isResourceNode(r)) {
      return { data: r, type: undefined, parent: undefined, propName: undefined, index: undefined, path: undefined };
    }
    const parentData = r.parentResNode?.data;
    const type = r.fhirNodeDataType ?? undefined;
    return {
      data: r.data !== null && typeof r.data === 'object' && 'toNumber' in r.data ? Number(r.data) : r.data,
      type: type?.startsWith('System.') ? type.slice(7).toLowerCase() : type,
      parent:
        parentData !== null && typeof parentData === 'object' && !Array.isArray(parentData)
          ? (parentData as Record<string, unknown>)
          : undefined,
      propName: r.propName ?? undefined,
      index: r.index ?? undefined,
      path: r.path ?? undefined,
    };
  });
}

/** Checks that an expression parses; returns the parser's message when it does not. */
export function checkFhirPathSyntax(expression: string): string | undefined {
  try {
    load().fhirpath.parse(expression);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
