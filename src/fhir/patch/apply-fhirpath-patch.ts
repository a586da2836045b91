// FHIRPath Patch (R4 §3.1.0.7.4 and fhirpatch.html): a Parameters resource of operations — add,
// insert, delete, replace, move — whose paths are FHIRPath expressions. Paths are located with the
// reference FHIRPath engine, which reports where each result sits (parent object, property, index),
// so primitives and choice elements are edited in place. Values given as `value[x]` or, for complex
// types, as nested parts are turned into JSON using the type model.
import type { Parameters, ParametersParameter } from '@medplum/fhirtypes';
import { getTypeModel } from '../definitions/r4-definitions.js';
import { type LocatedNode, locateFhirPath } from '../fhirpath/fhirpath-engine.js';
import { badRequest, OutcomeError } from '../outcome.js';

interface Operation {
  readonly type: 'add' | 'insert' | 'delete' | 'replace' | 'move';
  readonly path: string;
  readonly name?: string;
  readonly value?: ParametersParameter;
  readonly index?: number;
  readonly source?: number;
  readonly destination?: number;
}

function failure(message: string): OutcomeError {
  return new OutcomeError('processing', `FHIRPath Patch failed: ${message}`, { status: 422 });
}

function valueKey(p: ParametersParameter): string | undefined {
  return Object.keys(p).find((k) => k.startsWith('value') && k.length > 5);
}

function partValue(part: ParametersParameter, typeName: string | undefined): unknown {
  const key = valueKey(part);
  if (key) return (part as unknown as Record<string, unknown>)[key];
  if (part.resource) return part.resource;
  if (part.part) return partsToObject(part.part, typeName);
  return undefined;
}

/** Builds a complex value from parts (`name` = element, repeated names or list elements → arrays). */
function partsToObject(parts: readonly ParametersParameter[], typeName: string | undefined): Record<string, unknown> {
  const type = typeName ? getTypeModel().getType(typeName) : undefined;
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    const name = part.name ?? '';
    const element = type?.elements.get(name);
    const value = partValue(part, element?.types[0]);
    if (value === undefined) continue;
    const key = element?.isChoice ? name + (valueKey(part)?.slice(5) ?? '') : name;
    if (element?.isArray || Object.hasOwn(out, key)) {
      const existing = out[key];
      out[key] = Array.isArray(existing) ? [...existing, value] : existing === undefined ? [value] : [existing, value];
    } else {
      out[key] = value;
    }
  }
  return out;
}

function parseOperations(patch: Parameters): Operation[] {
  if (patch.resourceType !== 'Parameters') throw badRequest('A FHIRPath Patch must be a Parameters resource');
  return (patch.parameter ?? []).map((p, i) => {
    if (p.name !== 'operation') throw badRequest(`Parameter ${i} should be named 'operation'`);
    const parts = new Map((p.part ?? []).map((part) => [part.name ?? '', part]));
    const type = parts.get('type')?.valueCode;
    const path = parts.get('path')?.valueString;
    if (!type || !['add', 'insert', 'delete', 'replace', 'move'].includes(type)) {
      throw badRequest(`Operation ${i} has no valid type (add, insert, delete, replace, move)`);
    }
    if (!path) throw badRequest(`Operation ${i} has no path`);
    const int = (name: string): number | undefined => parts.get(name)?.valueInteger;
    const op: Operation = {
      type: type as Operation['type'],
      path,
      ...(parts.get('name')?.valueString ? { name: parts.get('name')?.valueString as string } : {}),
      ...(parts.get('value') ? { value: parts.get('value') as ParametersParameter } : {}),
      ...(int('index') !== undefined ? { index: int('index') as number } : {}),
      ...(int('source') !== undefined ? { source: int('source') as number } : {}),
      ...(int('destination') !== undefined ? { destination: int('destination') as number } : {}),
    };
    if ((op.type === 'add' || op.type === 'insert' || op.type === 'replace') && !op.value) {
      throw badRequest(`Operation ${i} (${op.type}) needs a value`);
    }
    if (op.type === 'add' && !op.name) throw badRequest(`Operation ${i} (add) needs a name`);
    if (op.type === 'insert' && op.index === undefined) throw badRequest(`Operation ${i} (insert) needs an index`);
    if (op.type === 'move' && (op.source === undefined || op.destination === undefined)) {
      throw badRequest(`Operation ${i} (move) needs source and destination`);
    }
    return op;
  });
}

function locate(resource: unknown, path: string): LocatedNode[] {
  try {
    return locateFhirPath(resource, path);
  } catch (err) {
    throw badRequest(`Invalid FHIRPath '${path}': ${err instanceof Error ? err.message : String(err)}`);
  }
}

function single(resource: unknown, path: string): LocatedNode {
  const nodes = locate(resource, path);
  if (nodes.length !== 1) throw failure(`'${path}' must match exactly one element, matched ${nodes.length}`);
  return nodes[0] as LocatedNode;
}

/** The element list a path names: the parent object and property holding it (e.g. Patient.identifier). */
function list(resource: unknown, path: string): { parent: Record<string, unknown>; key: string; items: unknown[] } {
  const nodes = locate(resource, path);
  if (nodes.length === 0) throw failure(`'${path}' matched nothing`);
  const first = nodes[0] as LocatedNode;
  if (
    !first.parent ||
    !first.propName ||
    nodes.some((n) => n.parent !== first.parent || n.propName !== first.propName)
  ) {
    throw failure(`'${path}' must name one list`);
  }
  const items = first.parent[first.propName];
  if (!Array.isArray(items)) throw failure(`'${path}' is not a list`);
  return { parent: first.parent, key: first.propName, items };
}

function typeOfChild(
  container: LocatedNode,
  resource: Record<string, unknown>,
  name: string,
): { isArray: boolean; type?: string; isChoice: boolean } {
  const model = getTypeModel();
  // The engine names backbone elements `BackboneElement`; the model names them by path.
  const byPath = container.type === 'BackboneElement' || container.type === 'Element' ? container.path : undefined;
  const typeName =
    container.parent === undefined && typeof resource.resourceType === 'string'
      ? resource.resourceType
      : (byPath ?? container.type);
  const element = typeName ? model.getType(typeName)?.elements.get(name) : undefined;
  if (!element) throw failure(`'${name}' is not an element of ${typeName ?? 'this element'}`);
  return {
    isArray: element.isArray,
    isChoice: element.isChoice,
    ...(element.types[0] ? { type: element.types[0] } : {}),
  };
}

/** The JSON key holding a node: for a choice element the engine reports `value`, JSON has `valueQuantity`. */
function jsonKey(node: LocatedNode): string {
  const parent = node.parent as Record<string, unknown>;
  const name = node.propName as string;
  if (Object.hasOwn(parent, name) || !node.type) return name;
  const typed = name + node.type.charAt(0).toUpperCase() + node.type.slice(1);
  return Object.hasOwn(parent, typed) ? typed : name;
}

function removeNode(node: LocatedNode): void {
  if (!node.parent || !node.propName) throw failure('cannot delete the resource itself');
  const key = jsonKey(node);
  const current = node.parent[key];
  if (Array.isArray(current) && node.index !== undefined) {
    current.splice(node.index, 1);
    if (current.length === 0) delete node.parent[key];
  } else {
    delete node.parent[key];
  }
}

function apply(resource: Record<string, unknown>, op: Operation): void {
  switch (op.type) {
    case 'add': {
      const container = single(resource, op.path);
      const target = (container.parent === undefined ? resource : container.data) as Record<string, unknown>;
      if (typeof target !== 'object' || target === null)
        throw failure(`'${op.path}' is not an element that can hold '${op.name}'`);
      const name = op.name as string;
      const child = typeOfChild(container, resource, name);
      const value = partValue(op.value as ParametersParameter, child.type);
      const key = child.isChoice ? name + (valueKey(op.value as ParametersParameter)?.slice(5) ?? '') : name;
      if (child.isArray) {
        const existing = target[key];
        target[key] = Array.isArray(existing) ? [...existing, value] : [value];
      } else {
        if (target[key] !== undefined) throw failure(`'${op.path}.${name}' already has a value; use replace`);
        target[key] = value;
      }
      return;
    }
    case 'insert': {
      const { items } = list(resource, op.path);
      const index = op.index as number;
      if (index < 0 || index > items.length) throw failure(`index ${index} is outside the list '${op.path}'`);
      items.splice(index, 0, partValue(op.value as ParametersParameter, undefined));
      return;
    }
    case 'delete': {
      const nodes = locate(resource, op.path);
      // Deleting something that is not there is not an error (fhirpatch.html "delete").
      if (nodes.length === 0) return;
      if (nodes.length > 1)
        throw failure(`'${op.path}' must match at most one element to delete, matched ${nodes.length}`);
      removeNode(nodes[0] as LocatedNode);
      return;
    }
    case 'replace': {
      const node = single(resource, op.path);
      if (!node.parent || !node.propName) throw failure('cannot replace the resource itself');
      const value = partValue(op.value as ParametersParameter, node.type);
      const key = jsonKey(node);
      const current = node.parent[key];
      if (Array.isArray(current) && node.index !== undefined) current[node.index] = value;
      else if (key !== node.propName) {
        // A choice element may change type: valueQuantity -> valueString.
        delete node.parent[key];
        node.parent[node.propName + (valueKey(op.value as ParametersParameter)?.slice(5) ?? '')] = value;
      } else node.parent[key] = value;
      return;
    }
    case 'move': {
      const { items } = list(resource, op.path);
      const source = op.source as number;
      const destination = op.destination as number;
      if (source < 0 || source >= items.length || destination < 0 || destination >= items.length) {
        throw failure(`move ${source} -> ${destination} is outside the list '${op.path}'`);
      }
      const [moved] = items.splice(source, 1);
      items.splice(destination, 0, moved);
      return;
    }
  }
}

/** FHIR elements must have a value or children: drop what an operation left empty. */
function pruneEmpty(value: unknown): boolean {
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) if (pruneEmpty(value[i])) value.splice(i, 1);
    return value.length === 0;
  }
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) if (pruneEmpty(obj[k])) delete obj[k];
    return Object.keys(obj).length === 0;
  }
  return false;
}

/** Applies a FHIRPath Patch to a copy of the resource. */
export function applyFhirPathPatch<T extends object>(resource: T, patch: Parameters): T {
  const operations = parseOperations(patch);
  const copy = structuredClone(resource) as Record<string, unknown>;
  for (const op of operations) {
    apply(copy, op);
    pruneEmpty(copy);
  }
  return copy as T;
}
