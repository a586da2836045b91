// Compiles the FHIRPath expressions of the official SearchParameters into plain JavaScript closures.
// Those expressions use a small subset of FHIRPath (paths, unions, `as`/`ofType`, `where(resolve() is
// X)`, `where(field = 'x')`, indexers); interpreting them with a general engine for every resource
// written costs about 0.8 ms per resource, which would cap imports near 1,000 resources/s. The compiled
// form navigates the JSON directly using the type model, so choice elements (`value[x]`) resolve to
// their concrete JSON keys and every result carries its FHIR type. Expressions outside the subset
// fall back to the reference engine, so coverage never depends on this file.
import { getTypeModel } from '../definitions/r4-definitions.js';
import type { TypeModel } from '../model/type-model.js';
import { locateFhirPath } from './fhirpath-engine.js';

/** A value reached by a path, with its FHIR type name. */
export interface TypedValue {
  readonly value: unknown;
  readonly type: string;
}

export type CompiledPath = (input: TypedValue) => TypedValue[];

type Ast =
  | { kind: 'union'; terms: Ast[] }
  | { kind: 'root'; name: string }
  | { kind: 'child'; base: Ast; name: string }
  | { kind: 'index'; base: Ast; index: number }
  | { kind: 'first'; base: Ast }
  | { kind: 'as'; base: Ast; type: string }
  | { kind: 'whereResolveIs'; base: Ast; type: string }
  | { kind: 'whereEquals'; base: Ast; field: string; value: string };

class UnsupportedExpression extends Error {}

const TOKEN = /\s*(?:('(?:[^'\\]|\\.)*')|([A-Za-z_][A-Za-z0-9_]*)|(\d+)|(!=|[().[\]|=,]))/y;

function tokenize(expr: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(expr);
    if (!m) {
      if (expr.slice(start).trim() === '') break;
      throw new UnsupportedExpression(`cannot read '${expr.slice(start)}'`);
    }
    tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
  }
  return tokens;
}

function parse(expr: string): Ast {
  const tokens = tokenize(expr);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const next = (): string => {
    const t = tokens[pos++];
    if (t === undefined) throw new UnsupportedExpression('unexpected end');
    return t;
  };
  const expect = (t: string): void => {
    if (next() !== t) throw new UnsupportedExpression(`expected ${t}`);
  };
  const identifier = (): string => {
    const t = next();
    if (!/^[A-Za-z_]/.test(t)) throw new UnsupportedExpression(`expected a name, got ${t}`);
    return t;
  };

  function union(): Ast {
    const terms = [asExpr()];
    while (peek() === '|') {
      pos++;
      terms.push(asExpr());
    }
    return terms.length === 1 ? (terms[0] as Ast) : { kind: 'union', terms };
  }
  function asExpr(): Ast {
    const base = postfix();
    if (peek() === 'as') {
      pos++;
      return { kind: 'as', base, type: identifier() };
    }
    return base;
  }
  function postfix(): Ast {
    let node = primary();
    for (;;) {
      const t = peek();
      if (t === '.') {
        pos++;
        node = member(node);
      } else if (t === '[') {
        pos++;
        const index = Number.parseInt(next(), 10);
        expect(']');
        node = { kind: 'index', base: node, index };
      } else {
        return node;
      }
    }
  }
  function primary(): Ast {
    if (peek() === '(') {
      pos++;
      const inner = union();
      expect(')');
      return inner;
    }
    return { kind: 'root', name: identifier() };
  }
  function member(base: Ast): Ast {
    const name = identifier();
    if (peek() !== '(') return { kind: 'child', base, name };
    pos++;
    switch (name) {
      case 'as':
      case 'ofType': {
        const type = identifier();
        expect(')');
        return { kind: 'as', base, type };
      }
      case 'first':
        expect(')');
        return { kind: 'first', base };
      case 'where': {
        const first = identifier();
        if (first === 'resolve') {
          expect('(');
          expect(')');
          if (next() !== 'is') throw new UnsupportedExpression('where(resolve() ...) without is');
          const type = identifier();
          expect(')');
          return { kind: 'whereResolveIs', base, type };
        }
        expect('=');
        const literal = next();
        if (!literal.startsWith("'")) throw new UnsupportedExpression('where() compares to a non-string');
        expect(')');
        return { kind: 'whereEquals', base, field: first, value: literal.slice(1, -1) };
      }
      default:
        throw new UnsupportedExpression(`function ${name}() is not compiled`);
    }
  }

  const ast = union();
  if (pos !== tokens.length) throw new UnsupportedExpression(`unexpected ${tokens[pos]}`);
  return ast;
}

const QUANTITY_KINDS = new Set(['Quantity', 'Age', 'Count', 'Distance', 'Duration', 'MoneyQuantity', 'SimpleQuantity']);

function isOfType(actual: string, wanted: string): boolean {
  if (actual === wanted) return true;
  if (actual.toLowerCase() === wanted.toLowerCase()) return true;
  return wanted === 'Quantity' && QUANTITY_KINDS.has(actual);
}

/** The resource type a reference points at, read from its literal (`Patient/1`, absolute, or contained). */
export function referenceTargetType(ref: unknown, container?: unknown): string | undefined {
  if (typeof ref !== 'object' || ref === null) return undefined;
  const r = ref as { reference?: unknown; type?: unknown };
  if (typeof r.reference === 'string') {
    const literal = r.reference;
    if (literal.startsWith('#') && container && typeof container === 'object') {
      const contained = (container as { contained?: { id?: string; resourceType?: string }[] }).contained;
      return contained?.find((c) => c.id === literal.slice(1))?.resourceType;
    }
    const parts = literal.split('?')[0]?.split('/') ?? [];
    const history = parts.indexOf('_history');
    const usable = history >= 0 ? parts.slice(0, history) : parts;
    if (usable.length >= 2) return usable[usable.length - 2];
  }
  return typeof r.type === 'string' ? r.type : undefined;
}

interface Accessor {
  readonly key: string;
  readonly type: string;
}

type AccessorCache = Map<string, Map<string, Accessor[]>>;

function accessorsFor(model: TypeModel, cache: AccessorCache, type: string, name: string): Accessor[] {
  let byName = cache.get(type);
  if (!byName) {
    byName = new Map();
    cache.set(type, byName);
  }
  let list = byName.get(name);
  if (list) return list;
  const info = model.getType(type);
  const element = info?.elements.get(name);
  if (!element) list = [];
  else if (element.isChoice) {
    list = element.types.map((t) => ({ key: name + t.charAt(0).toUpperCase() + t.slice(1), type: t }));
  } else list = [{ key: name, type: element.types[0] ?? 'Element' }];
  byName.set(name, list);
  return list;
}

/**
 * A run of child steps from the root (`Patient.name.given`) walks the JSON depth-first with no
 * intermediate collections; each step resolves its JSON keys from the node's type once and caches it.
 */
function compileWalk(rootName: string, names: readonly string[], model: TypeModel, cache: AccessorCache): CompiledPath {
  const any = BASE_TYPES.has(rootName);
  const depth = names.length;
  const walk = (value: unknown, type: string, i: number, out: TypedValue[]): void => {
    if (i === depth) {
      out.push({ value, type });
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const obj = value as Record<string, unknown>;
    for (const acc of accessorsFor(model, cache, type, names[i] as string)) {
      const v = obj[acc.key];
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) {
        for (const item of v) {
          if (item === null || item === undefined) continue;
          walk(item, acc.type === 'Resource' ? resourceTypeOf(item) : acc.type, i + 1, out);
        }
      } else {
        walk(v, acc.type === 'Resource' ? resourceTypeOf(v) : acc.type, i + 1, out);
      }
    }
  };
  return (input) => {
    const out: TypedValue[] = [];
    if (any || input.type === rootName) walk(input.value, input.type, 0, out);
    return out;
  };
}

function resourceTypeOf(v: unknown): string {
  const rt = typeof v === 'object' && v !== null ? (v as { resourceType?: unknown }).resourceType : undefined;
  return typeof rt === 'string' ? rt : 'Resource';
}

/** `Root.a.b.c` as [root, [a, b, c]] when the expression is only child steps. */
function childChain(ast: Ast): { root: string; names: string[] } | undefined {
  const names: string[] = [];
  let node = ast;
  while (node.kind === 'child') {
    names.unshift(node.name);
    node = node.base;
  }
  return node.kind === 'root' ? { root: node.name, names } : undefined;
}

function push(out: TypedValue[], value: unknown, type: string): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) push(out, v, type);
    return;
  }
  if (type === 'Resource' && typeof value === 'object') {
    const rt = (value as { resourceType?: unknown }).resourceType;
    out.push({ value, type: typeof rt === 'string' ? rt : 'Resource' });
    return;
  }
  out.push({ value, type });
}

const BASE_TYPES = new Set(['Resource', 'DomainResource']);

function compileAst(ast: Ast, model: TypeModel, cache: AccessorCache): CompiledPath {
  switch (ast.kind) {
    case 'root': {
      const name = ast.name;
      if (!BASE_TYPES.has(name) && !model.getType(name)) {
        throw new UnsupportedExpression(`unknown name ${name}`);
      }
      return (input) => (BASE_TYPES.has(name) || input.type === name ? [input] : []);
    }
    case 'child': {
      const chain = childChain(ast);
      if (chain && (BASE_TYPES.has(chain.root) || model.getType(chain.root))) {
        return compileWalk(chain.root, chain.names, model, cache);
      }
      const base = compileAst(ast.base, model, cache);
      const name = ast.name;
      return (input) => {
        const out: TypedValue[] = [];
        for (const node of base(input)) {
          if (typeof node.value !== 'object' || node.value === null) continue;
          const obj = node.value as Record<string, unknown>;
          for (const acc of accessorsFor(model, cache, node.type, name)) push(out, obj[acc.key], acc.type);
        }
        return out;
      };
    }
    case 'index': {
      const base = compileAst(ast.base, model, cache);
      const index = ast.index;
      return (input) => {
        const v = base(input)[index];
        return v ? [v] : [];
      };
    }
    case 'first': {
      const base = compileAst(ast.base, model, cache);
      return (input) => base(input).slice(0, 1);
    }
    case 'as': {
      const base = compileAst(ast.base, model, cache);
      const wanted = ast.type;
      return (input) => base(input).filter((n) => isOfType(n.type, wanted));
    }
    case 'whereResolveIs': {
      const base = compileAst(ast.base, model, cache);
      const wanted = ast.type;
      return (input) => base(input).filter((n) => referenceTargetType(n.value, input.value) === wanted);
    }
    case 'whereEquals': {
      const base = compileAst(ast.base, model, cache);
      const { field, value } = ast;
      return (input) =>
        base(input).filter(
          (n) =>
            typeof n.value === 'object' && n.value !== null && (n.value as Record<string, unknown>)[field] === value,
        );
    }
    case 'union': {
      const terms = ast.terms.map((t) => compileAst(t, model, cache));
      return (input) => terms.flatMap((t) => t(input));
    }
  }
}

/** Splits an expression at its top-level `|` operators. */
export function splitUnion(expression: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === "'" && expression[i - 1] !== '\\') inString = !inString;
    else if (!inString && c === '(') depth++;
    else if (!inString && c === ')') depth--;
    else if (!inString && depth === 0 && c === '|') {
      terms.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  terms.push(expression.slice(start).trim());
  return terms.filter((t) => t.length > 0);
}

/** The type name a term starts from (`Observation` in `(Observation.value as Quantity)`). */
export function rootTypeOf(term: string): string | undefined {
  return /^\(*\s*([A-Za-z]+)/.exec(term)?.[1];
}

/**
 * Keeps the union terms of an expression that can apply to the given resource type: terms rooted at
 * that type or at Resource/DomainResource. Official parameters shared by many types (e.g. `patient`)
 * list one term per type.
 */
export function termsForType(expression: string, resourceType: string): string[] {
  return splitUnion(expression)
    .map((term) => {
      // A few official expressions omit the type (InsurancePlan-name is `name | alias`): such a
      // term is a path from the resource itself.
      const root = rootTypeOf(term);
      return root !== undefined && /^[a-z]/.test(root) && !term.startsWith('(') ? `${resourceType}.${term}` : term;
    })
    .filter((term) => {
      const root = rootTypeOf(term);
      return root === resourceType || (root !== undefined && BASE_TYPES.has(root));
    });
}

const DECEASED = 'Patient.deceased.exists() and Patient.deceased != false';

function fallback(expression: string): CompiledPath {
  return (input) =>
    locateFhirPath(input.value, expression).map((n) => ({ value: n.data, type: n.type ?? typeof n.data }));
}

export interface CompileResult {
  readonly evaluate: CompiledPath;
  /** True when the expression needed the general FHIRPath engine. */
  readonly usesEngine: boolean;
}

/** Compiles one expression (already restricted to one resource type's terms). */
export function compilePath(expression: string, model: TypeModel = getTypeModel()): CompileResult {
  if (expression.trim() === DECEASED) {
    return {
      usesEngine: false,
      evaluate: (input) => {
        const p = input.value as { deceasedBoolean?: boolean; deceasedDateTime?: string };
        const deceased = p.deceasedBoolean === true || typeof p.deceasedDateTime === 'string';
        return [{ value: deceased, type: 'boolean' }];
      },
    };
  }
  try {
    return { evaluate: compileAst(parse(expression), model, new Map()), usesEngine: false };
  } catch (err) {
    if (!(err instanceof UnsupportedExpression)) throw err;
    return { evaluate: fallback(expression), usesEngine: true };
  }
}

/** Compiles an expression relative to an element (SearchParameter.component.expression). */
export function compileRelativePath(expression: string, model: TypeModel = getTypeModel()): CompileResult {
  try {
    const ast = parse(expression);
    // A relative path starts at the context node: rewrite its first name into a child step.
    const rebase = (node: Ast): Ast => {
      switch (node.kind) {
        case 'root':
          return { kind: 'child', base: { kind: 'root', name: 'Resource' }, name: node.name };
        case 'union':
          return { kind: 'union', terms: node.terms.map(rebase) };
        default:
          return { ...node, base: rebase(node.base) } as Ast;
      }
    };
    return { evaluate: compileAst(rebase(ast), model, new Map()), usesEngine: false };
  } catch (err) {
    if (!(err instanceof UnsupportedExpression)) throw err;
    return { evaluate: fallback(expression), usesEngine: true };
  }
}
