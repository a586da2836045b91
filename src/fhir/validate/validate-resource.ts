// Structural validation of a resource against the R4 definitions (FHIR R4 §1.14 JSON representation,
// §2.24 data types): unknown elements, wrong JSON types, malformed primitives, cardinality, required
// elements and required code bindings. It walks the JSON once using the type model; the general
// validators we measured (about 0.35 ms per resource) would cap imports, and also accept codes outside
// a required binding such as `Task.status: "bogus"`.
import { getR4Definitions, getTypeModel } from '../definitions/r4-definitions.js';
import type { ElementInfo, TypeInfo, TypeModel } from '../model/type-model.js';
import { hasControlCharacter } from './control-characters.js';

export type IssueCode = 'structure' | 'required' | 'value' | 'invalid' | 'code-invalid' | 'invariant';

export interface ValidationIssue {
  readonly severity: 'error';
  readonly code: IssueCode;
  /** FHIRPath-style location, e.g. `Patient.name[0].given[1]`. */
  readonly expression: string;
  readonly diagnostics: string;
}

/** Resource.id (FHIR R4 §2.24.0.1 id): 1-64 of A-Z a-z 0-9 - . */
export const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

const INTEGER_TYPES = new Set(['integer', 'unsignedInt', 'positiveInt']);
const NUMBER_TYPES = new Set(['integer', 'unsignedInt', 'positiveInt', 'decimal']);
const DATE_TYPES = new Set(['date', 'dateTime', 'instant']);
const MAX_DEPTH = 64;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The regexes accept e.g. 2021-02-30; check that a calendar date really exists. */
function isRealDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return true;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

interface Context {
  readonly model: TypeModel;
  readonly bindings: Record<string, string[]>;
  readonly bindingSets: Map<string, { codes: Set<string>; systemCodes: Set<string> }>;
  readonly required: Map<TypeInfo, readonly RequiredCheck[]>;
  readonly issues: ValidationIssue[];
  /**
   * Where the walk is, as segments (`Patient`, `name`, 0, `given`). Paths are built only for the
   * issues reported: building one string per element visited was most of the validator's garbage.
   */
  readonly path: (string | number)[];
}

interface RequiredCheck {
  readonly element: ElementInfo;
  /** JSON keys that satisfy the element, with their `_` primitive-extension forms. */
  readonly keys: readonly string[];
}

function pathString(ctx: Context, extra?: string): string {
  let out = '';
  for (const seg of ctx.path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  if (extra !== undefined) out += out ? `.${extra}` : extra;
  return out;
}

function report(ctx: Context, code: IssueCode, diagnostics: (path: string) => string, extra?: string): void {
  const expression = pathString(ctx, extra);
  ctx.issues.push({ severity: 'error', code, expression, diagnostics: diagnostics(expression) });
}

function bindingSet(ctx: Context, url: string): { codes: Set<string>; systemCodes: Set<string> } | undefined {
  let set = ctx.bindingSets.get(url);
  if (!set) {
    const entries = ctx.bindings[url];
    if (!entries) return undefined;
    set = { codes: new Set(entries.map((e) => e.slice(e.lastIndexOf('|') + 1))), systemCodes: new Set(entries) };
    ctx.bindingSets.set(url, set);
  }
  return set;
}

function checkCodingBinding(set: { systemCodes: Set<string> }, coding: Record<string, unknown>): boolean {
  return typeof coding.code === 'string' && set.systemCodes.has(`${String(coding.system ?? '')}|${coding.code}`);
}

function checkBinding(ctx: Context, element: ElementInfo, type: string, value: unknown): void {
  const url = element.requiredValueSet;
  if (!url) return;
  const set = bindingSet(ctx, url);
  if (!set) return;
  if (type === 'code' && typeof value === 'string') {
    if (!set.codes.has(value)) {
      report(ctx, 'code-invalid', () => `The code '${value}' is not in the required value set ${url}`);
    }
  } else if (type === 'Coding' && isPlainObject(value) && value.code !== undefined) {
    if (!checkCodingBinding(set, value)) {
      report(
        ctx,
        'code-invalid',
        () => `The coding ${String(value.system ?? '')}|${String(value.code)} is not in the required value set ${url}`,
      );
    }
  } else if (type === 'CodeableConcept' && isPlainObject(value) && Array.isArray(value.coding)) {
    const codings = value.coding.filter(isPlainObject);
    if (codings.length > 0 && !codings.some((c) => checkCodingBinding(set, c))) {
      report(ctx, 'code-invalid', () => `None of the codings is in the required value set ${url}`);
    }
  }
}

/**
 * Contained resources (R4 §2.36 Resource contained; invariants dom-2, dom-4, dom-5): each has a
 * local id, unique among them, and none has contained resources, meta.versionId, meta.lastUpdated
 * or security labels of its own.
 */
function checkContained(ctx: Context, contained: unknown): void {
  if (!Array.isArray(contained)) return;
  const seen = new Set<string>();
  contained.forEach((c, i) => {
    if (!isPlainObject(c)) return;
    const at = (p: string) => `contained[${i}]${p}`;
    if (typeof c.id !== 'string') {
      report(ctx, 'required', (p) => `${p}.${at('')} has no id: a contained resource needs one to be referenced`);
    } else if (seen.has(c.id)) {
      report(ctx, 'invariant', (p) => `${p}.${at('')} repeats the id '${c.id}' of another contained resource`);
    } else seen.add(c.id);
    if (c.contained !== undefined) {
      report(ctx, 'invariant', (p) => `${p}.${at('.contained')}: contained resources cannot contain others (dom-2)`);
    }
    const meta = isPlainObject(c.meta) ? c.meta : undefined;
    if (meta?.versionId !== undefined || meta?.lastUpdated !== undefined) {
      report(
        ctx,
        'invariant',
        (p) => `${p}.${at('.meta')}: a contained resource has no version or update time (dom-4)`,
      );
    }
    if (meta?.security !== undefined) {
      report(ctx, 'invariant', (p) => `${p}.${at('.meta.security')}: label the containing resource instead (dom-5)`);
    }
  });
}

function checkPrimitive(ctx: Context, type: string, value: unknown): boolean {
  if (type === 'boolean') {
    if (typeof value !== 'boolean') return wrongType(ctx, 'a boolean', value);
    return true;
  }
  if (NUMBER_TYPES.has(type)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType(ctx, 'a number', value);
    if (INTEGER_TYPES.has(type)) {
      const outOfRange = !Number.isInteger(value) || value > 2147483647 || value < -2147483648;
      if (outOfRange || (type === 'positiveInt' && value < 1) || (type === 'unsignedInt' && value < 0)) {
        report(ctx, 'value', (p) => `Invalid ${type} ${value} at ${p}`);
        return false;
      }
    }
    return true;
  }
  if (typeof value !== 'string') return wrongType(ctx, 'a string', value);
  if (value.length === 0 || (type !== 'xhtml' && value.trim().length === 0)) {
    report(ctx, 'value', (p) => `Empty or blank string at ${p}`);
    return false;
  }
  if (hasControlCharacter(value)) {
    report(ctx, 'value', (p) => `Control character at ${p}: FHIR strings hold none but tab, CR and LF`);
    return false;
  }
  const pattern = type !== 'string' && type !== 'markdown' ? ctx.model.getType(type)?.pattern : undefined;
  if (pattern && !pattern.test(value)) {
    report(ctx, 'value', (p) => `Invalid ${type} '${value.slice(0, 100)}' at ${p}`);
    return false;
  }
  if (DATE_TYPES.has(type) && !isRealDate(value)) {
    report(ctx, 'value', (p) => `Invalid ${type} '${value}' at ${p}: no such day`);
    return false;
  }
  return true;
}

function wrongType(ctx: Context, expected: string, value: unknown, extra?: string): false {
  const actual = Array.isArray(value)
    ? 'an array'
    : value === null
      ? 'null'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`;
  report(ctx, 'structure', (p) => `Expected ${expected} at ${p}, found ${actual}`, extra);
  return false;
}

function checkPrimitiveExtension(ctx: Context, value: unknown): void {
  if (value === null) return;
  if (!isPlainObject(value)) {
    wrongType(ctx, 'an object', value);
    return;
  }
  const elementType = ctx.model.getType('Element');
  if (elementType) validateObject(ctx, elementType, value, 0);
}

function validateValue(ctx: Context, element: ElementInfo, type: string, value: unknown, depth: number): void {
  const typeInfo = ctx.model.getType(type);
  if (typeInfo?.kind === 'primitive' || type === 'string' || type === 'xhtml') {
    if (checkPrimitive(ctx, type, value)) checkBinding(ctx, element, type, value);
    return;
  }
  if (!isPlainObject(value)) {
    wrongType(ctx, 'an object', value);
    return;
  }
  if (type === 'Resource') {
    validateResourceObject(ctx, value, depth + 1);
    return;
  }
  if (!typeInfo) return;
  validateObject(ctx, typeInfo, value, depth + 1);
  checkBinding(ctx, element, type, value);
}

function validateResourceObject(ctx: Context, value: Record<string, unknown>, depth: number): void {
  const rt = value.resourceType;
  if (typeof rt !== 'string' || !ctx.model.isResourceType(rt)) {
    report(ctx, 'structure', (p) => `Unknown resourceType '${String(rt)}' at ${p || 'the root'}`);
    return;
  }
  const typeInfo = ctx.model.getType(rt) as TypeInfo;
  if (ctx.path.length === 0) ctx.path.push(rt);
  checkContained(ctx, value.contained);
  if (value.id !== undefined && (typeof value.id !== 'string' || !ID_PATTERN.test(value.id))) {
    report(ctx, 'value', () => `Invalid id '${String(value.id)}': 1-64 letters, digits, '-' or '.'`, 'id');
  }
  validateObject(ctx, typeInfo, value, depth);
}

function validateObject(ctx: Context, typeInfo: TypeInfo, obj: Record<string, unknown>, depth: number): void {
  if (depth > MAX_DEPTH) {
    report(ctx, 'structure', (p) => `Nesting deeper than ${MAX_DEPTH} levels at ${p}`);
    return;
  }
  const path = ctx.path;
  let hasContent = false;
  for (const key in obj) {
    const value = obj[key];
    if (key === 'resourceType' && typeInfo.kind === 'resource') continue;
    hasContent = true;
    if (key.charCodeAt(0) === 95 /* _ */) {
      const prop = typeInfo.properties.get(key.slice(1));
      const propType = prop ? ctx.model.getType(prop.type) : undefined;
      if (!prop || propType?.kind !== 'primitive') {
        report(ctx, 'structure', () => `Unknown element '${key}' at ${pathString(ctx)}`, key);
        continue;
      }
      path.push(key);
      if (!prop.element.isArray) checkPrimitiveExtension(ctx, value);
      else if (!Array.isArray(value)) wrongType(ctx, 'an array', value);
      else {
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          checkPrimitiveExtension(ctx, value[i]);
          path.pop();
        }
      }
      path.pop();
      continue;
    }
    const prop = typeInfo.properties.get(key);
    if (!prop) {
      report(ctx, 'structure', () => `Unknown element '${key}' at ${pathString(ctx)}`, key);
      continue;
    }
    const { element, type } = prop;
    path.push(key);
    if (element.isArray) {
      if (!Array.isArray(value)) wrongType(ctx, 'an array', value);
      else if (value.length === 0) report(ctx, 'structure', (p) => `Empty array at ${p}: omit the element instead`);
      else {
        if (value.length > element.max) {
          report(ctx, 'structure', (p) => `${p} has ${value.length} items; at most ${element.max} allowed`);
        }
        const extensions = obj[`_${key}`];
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          path.push(i);
          if (item === null) {
            // JSON §1.14.1: null only pads a primitive array that has a matching extension entry.
            if (!Array.isArray(extensions) || extensions[i] == null)
              report(ctx, 'structure', (p) => `Null value at ${p}`);
          } else {
            validateValue(ctx, element, type, item, depth);
          }
          path.pop();
        }
      }
    } else if (Array.isArray(value)) {
      report(ctx, 'structure', (p) => `${p} must be a single value, not an array (max 1)`);
    } else if (value === null) {
      report(ctx, 'structure', (p) => `Null value at ${p}`);
    } else {
      validateValue(ctx, element, type, value, depth);
    }
    path.pop();
  }
  if (!hasContent && typeInfo.kind !== 'resource') {
    report(ctx, 'structure', (p) => `Empty object at ${p}: an element must have a value or children`);
  }
  checkRequired(ctx, typeInfo, obj);
}

function requiredChecks(ctx: Context, typeInfo: TypeInfo): readonly RequiredCheck[] {
  let checks = ctx.required.get(typeInfo);
  if (!checks) {
    checks = [...typeInfo.elements.values()]
      .filter((e) => e.min >= 1)
      .map((element) => {
        const names = element.isChoice
          ? element.types.map((t) => element.name + t.charAt(0).toUpperCase() + t.slice(1))
          : [element.name];
        return { element, keys: names.flatMap((n) => [n, `_${n}`]) };
      });
    ctx.required.set(typeInfo, checks);
  }
  return checks;
}

function checkRequired(ctx: Context, typeInfo: TypeInfo, obj: Record<string, unknown>): void {
  for (const { element, keys } of requiredChecks(ctx, typeInfo)) {
    let present = false;
    for (const k of keys) {
      if (obj[k] !== undefined) {
        present = true;
        break;
      }
    }
    if (!present) {
      report(ctx, 'required', (p) => `Missing required element ${p}`, element.name);
      continue;
    }
    const value = obj[element.name];
    if (element.isArray && Array.isArray(value) && value.length < element.min) {
      report(ctx, 'structure', (p) => `${p} needs at least ${element.min} items`, element.name);
    }
  }
}

let shared: Omit<Context, 'issues' | 'path'> | undefined;

/**
 * Validates a parsed JSON value as an R4 resource. Returns every problem found (empty when valid);
 * `expectedType`, when given, must match `resourceType`.
 */
export function validateResource(value: unknown, expectedType?: string): ValidationIssue[] {
  shared ??= {
    model: getTypeModel(),
    bindings: getR4Definitions().requiredBindings,
    bindingSets: new Map(),
    required: new Map(),
  };
  const ctx: Context = { ...shared, issues: [], path: [] };
  if (!isPlainObject(value)) {
    report(ctx, 'structure', () => 'A resource must be a JSON object');
    return ctx.issues;
  }
  const rt = value.resourceType;
  if (expectedType && rt !== expectedType) {
    report(ctx, 'invalid', () => `Expected a ${expectedType} resource, found '${String(rt)}'`, 'resourceType');
    return ctx.issues;
  }
  validateResourceObject(ctx, value, 0);
  return ctx.issues;
}
