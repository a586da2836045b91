// Structural validation of a resource against the R4 definitions (FHIR R4 §1.14 JSON representation,
// §2.24 data types): unknown elements, wrong JSON types, malformed primitives, cardinality, required
// elements and required code bindings. It walks the JSON once using the type model; the general
// validators we measured (about 0.35 ms per resource) would cap imports, and also accept codes outside
// a required binding such as `Task.status: "bogus"`.
import { getR4Definitions, getTypeModel } from '../definitions/r4-definitions.js';
import type { ElementInfo, TypeInfo, TypeModel } from '../model/type-model.js';

export type IssueCode = 'structure' | 'required' | 'value' | 'invalid' | 'code-invalid';

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
  readonly issues: ValidationIssue[];
}

function report(ctx: Context, code: IssueCode, expression: string, diagnostics: string): void {
  ctx.issues.push({ severity: 'error', code, expression, diagnostics });
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

function checkBinding(ctx: Context, element: ElementInfo, type: string, value: unknown, path: string): void {
  const url = element.requiredValueSet;
  if (!url) return;
  const set = bindingSet(ctx, url);
  if (!set) return;
  if (type === 'code' && typeof value === 'string') {
    if (!set.codes.has(value)) {
      report(ctx, 'code-invalid', path, `The code '${value}' is not in the required value set ${url}`);
    }
  } else if (type === 'Coding' && isPlainObject(value) && value.code !== undefined) {
    if (!checkCodingBinding(set, value)) {
      report(
        ctx,
        'code-invalid',
        path,
        `The coding ${String(value.system ?? '')}|${String(value.code)} is not in the required value set ${url}`,
      );
    }
  } else if (type === 'CodeableConcept' && isPlainObject(value) && Array.isArray(value.coding)) {
    const codings = value.coding.filter(isPlainObject);
    if (codings.length > 0 && !codings.some((c) => checkCodingBinding(set, c))) {
      report(ctx, 'code-invalid', path, `None of the codings is in the required value set ${url}`);
    }
  }
}

function checkPrimitive(ctx: Context, type: string, value: unknown, path: string): boolean {
  const typeInfo = ctx.model.getType(type);
  if (type === 'boolean') {
    if (typeof value !== 'boolean') return wrongType(ctx, path, 'a boolean', value);
    return true;
  }
  if (NUMBER_TYPES.has(type)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType(ctx, path, 'a number', value);
    if (INTEGER_TYPES.has(type)) {
      if (!Number.isInteger(value) || value > 2147483647 || value < -2147483648) {
        report(ctx, 'value', path, `Invalid ${type} ${value} at ${path}`);
        return false;
      }
      if ((type === 'positiveInt' && value < 1) || (type === 'unsignedInt' && value < 0)) {
        report(ctx, 'value', path, `Invalid ${type} ${value} at ${path}`);
        return false;
      }
    }
    return true;
  }
  if (typeof value !== 'string') return wrongType(ctx, path, 'a string', value);
  if (value.length === 0 || (type !== 'xhtml' && value.trim().length === 0)) {
    report(ctx, 'value', path, `Empty or blank string at ${path}`);
    return false;
  }
  const pattern = typeInfo?.pattern;
  if (pattern && type !== 'string' && type !== 'markdown' && !pattern.test(value)) {
    report(ctx, 'value', path, `Invalid ${type} '${value.slice(0, 100)}' at ${path}`);
    return false;
  }
  if (DATE_TYPES.has(type) && !isRealDate(value)) {
    report(ctx, 'value', path, `Invalid ${type} '${value}' at ${path}: no such day`);
    return false;
  }
  return true;
}

function wrongType(ctx: Context, path: string, expected: string, value: unknown): false {
  const actual = Array.isArray(value)
    ? 'an array'
    : value === null
      ? 'null'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`;
  report(ctx, 'structure', path, `Expected ${expected} at ${path}, found ${actual}`);
  return false;
}

function checkPrimitiveExtension(ctx: Context, value: unknown, path: string): void {
  if (value === null) return;
  if (!isPlainObject(value)) {
    wrongType(ctx, path, 'an object', value);
    return;
  }
  const elementType = ctx.model.getType('Element');
  if (elementType) validateObject(ctx, elementType, value, path, 0);
}

function validateValue(
  ctx: Context,
  element: ElementInfo,
  type: string,
  value: unknown,
  path: string,
  depth: number,
): void {
  const typeInfo = ctx.model.getType(type);
  if (typeInfo?.kind === 'primitive' || type === 'string' || type === 'xhtml') {
    if (checkPrimitive(ctx, type, value, path)) checkBinding(ctx, element, type, value, path);
    return;
  }
  if (!isPlainObject(value)) {
    wrongType(ctx, path, 'an object', value);
    return;
  }
  if (type === 'Resource') {
    validateResourceObject(ctx, value, path, depth + 1);
    return;
  }
  if (!typeInfo) return;
  validateObject(ctx, typeInfo, value, path, depth + 1);
  checkBinding(ctx, element, type, value, path);
}

function validateResourceObject(ctx: Context, value: Record<string, unknown>, path: string, depth: number): void {
  const rt = value.resourceType;
  if (typeof rt !== 'string' || !ctx.model.isResourceType(rt)) {
    report(ctx, 'structure', path, `Unknown resourceType '${String(rt)}' at ${path}`);
    return;
  }
  const typeInfo = ctx.model.getType(rt) as TypeInfo;
  if (value.id !== undefined && (typeof value.id !== 'string' || !ID_PATTERN.test(value.id))) {
    report(ctx, 'value', `${path}.id`, `Invalid id '${String(value.id)}': 1-64 letters, digits, '-' or '.'`);
  }
  validateObject(ctx, typeInfo, value, path, depth);
}

function validateObject(
  ctx: Context,
  typeInfo: TypeInfo,
  obj: Record<string, unknown>,
  path: string,
  depth: number,
): void {
  if (depth > MAX_DEPTH) {
    report(ctx, 'structure', path, `Nesting deeper than ${MAX_DEPTH} levels at ${path}`);
    return;
  }
  let hasContent = false;
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (key === 'resourceType' && typeInfo.kind === 'resource') continue;
    hasContent = true;
    if (key.startsWith('_')) {
      const prop = typeInfo.properties.get(key.slice(1));
      const propType = prop ? ctx.model.getType(prop.type) : undefined;
      if (!prop || propType?.kind !== 'primitive') {
        report(ctx, 'structure', `${path}.${key}`, `Unknown element '${key}' at ${path}`);
        continue;
      }
      if (prop.element.isArray) {
        if (!Array.isArray(value)) wrongType(ctx, `${path}.${key}`, 'an array', value);
        else for (let i = 0; i < value.length; i++) checkPrimitiveExtension(ctx, value[i], `${path}.${key}[${i}]`);
      } else {
        checkPrimitiveExtension(ctx, value, `${path}.${key}`);
      }
      continue;
    }
    const prop = typeInfo.properties.get(key);
    if (!prop) {
      report(ctx, 'structure', `${path}.${key}`, `Unknown element '${key}' at ${path}`);
      continue;
    }
    const { element, type } = prop;
    const childPath = `${path}.${key}`;
    if (element.isArray) {
      if (!Array.isArray(value)) {
        wrongType(ctx, childPath, 'an array', value);
        continue;
      }
      if (value.length === 0) {
        report(ctx, 'structure', childPath, `Empty array at ${childPath}: omit the element instead`);
        continue;
      }
      if (value.length > element.max) {
        report(ctx, 'structure', childPath, `${childPath} has ${value.length} items; at most ${element.max} allowed`);
      }
      const extensions = obj[`_${key}`];
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (item === null) {
          // JSON §1.14.1: null only pads a primitive array that has a matching extension entry.
          if (!Array.isArray(extensions) || extensions[i] == null) {
            report(ctx, 'structure', `${childPath}[${i}]`, `Null value at ${childPath}[${i}]`);
          }
          continue;
        }
        validateValue(ctx, element, type, item, `${childPath}[${i}]`, depth);
      }
    } else {
      if (Array.isArray(value)) {
        report(ctx, 'structure', childPath, `${childPath} must be a single value, not an array (max 1)`);
        continue;
      }
      if (value === null) {
        report(ctx, 'structure', childPath, `Null value at ${childPath}`);
        continue;
      }
      validateValue(ctx, element, type, value, childPath, depth);
    }
  }
  if (!hasContent && typeInfo.kind !== 'resource') {
    report(ctx, 'structure', path, `Empty object at ${path}: an element must have a value or children`);
  }
  checkRequired(ctx, typeInfo, obj, path);
}

function checkRequired(ctx: Context, typeInfo: TypeInfo, obj: Record<string, unknown>, path: string): void {
  for (const element of typeInfo.elements.values()) {
    if (element.min < 1) continue;
    let present = false;
    if (element.isChoice) {
      for (const t of element.types) {
        const key = element.name + t.charAt(0).toUpperCase() + t.slice(1);
        if (obj[key] !== undefined || obj[`_${key}`] !== undefined) present = true;
      }
    } else {
      present = obj[element.name] !== undefined || obj[`_${element.name}`] !== undefined;
    }
    if (!present) {
      report(ctx, 'required', `${path}.${element.name}`, `Missing required element ${path}.${element.name}`);
    } else if (element.isArray && Array.isArray(obj[element.name])) {
      const count = (obj[element.name] as unknown[]).length;
      if (count < element.min) {
        report(
          ctx,
          'structure',
          `${path}.${element.name}`,
          `${path}.${element.name} needs at least ${element.min} items`,
        );
      }
    }
  }
}

let shared: Omit<Context, 'issues'> | undefined;

/**
 * Validates a parsed JSON value as an R4 resource. Returns every problem found (empty when valid);
 * `expectedType`, when given, must match `resourceType`.
 */
export function validateResource(value: unknown, expectedType?: string): ValidationIssue[] {
  shared ??= { model: getTypeModel(), bindings: getR4Definitions().requiredBindings, bindingSets: new Map() };
  const ctx: Context = { ...shared, issues: [] };
  if (!isPlainObject(value)) {
    report(ctx, 'structure', '', 'A resource must be a JSON object');
    return ctx.issues;
  }
  const rt = value.resourceType;
  if (expectedType && rt !== expectedType) {
    report(ctx, 'invalid', 'resourceType', `Expected a ${expectedType} resource, found '${String(rt)}'`);
    return ctx.issues;
  }
  validateResourceObject(ctx, value, typeof rt === 'string' ? rt : 'Resource', 0);
  return ctx.issues;
}
