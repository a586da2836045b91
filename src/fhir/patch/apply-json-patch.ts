// JSON Patch (RFC 6902) applied to a copy of a resource. Every operation of the RFC, JSON Pointer
// escaping (RFC 6901: ~1 is '/', ~0 is '~'), and `test`. A failing operation rejects the whole patch.
import { badRequest, OutcomeError } from '../outcome.js';

export interface JsonPatchOperation {
  readonly op: string;
  readonly path: string;
  readonly from?: string;
  readonly value?: unknown;
}

type Container = Record<string, unknown> | unknown[];

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`JSON Pointer '${pointer}' must start with '/'`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

function resolveParent(doc: unknown, tokens: string[], pointer: string): { parent: Container; key: string } {
  let node: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) {
      node = node[arrayIndex(node, t, false, pointer)];
    } else if (isContainer(node) && Object.hasOwn(node, t)) {
      node = (node as Record<string, unknown>)[t];
    } else {
      throw patchFailure(`path ${pointer} does not exist`);
    }
  }
  if (!isContainer(node)) throw patchFailure(`path ${pointer} does not exist`);
  return { parent: node, key: tokens[tokens.length - 1] as string };
}

function arrayIndex(arr: unknown[], token: string, forInsert: boolean, pointer: string): number {
  if (forInsert && token === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw patchFailure(`'${token}' is not an array index in ${pointer}`);
  const i = Number(token);
  if (i > arr.length || (!forInsert && i >= arr.length))
    throw patchFailure(`index ${i} is out of bounds in ${pointer}`);
  return i;
}

function patchFailure(message: string): OutcomeError {
  return new OutcomeError('processing', `Patch failed: ${message}`, { status: 422 });
}

function getValue(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const t of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, t, false, pointer)];
    else if (isContainer(node) && Object.hasOwn(node, t)) node = (node as Record<string, unknown>)[t];
    else throw patchFailure(`path ${pointer} does not exist`);
  }
  return node;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.hasOwn(b as object, k) &&
        deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

function add(doc: { root: unknown }, pointer: string, value: unknown): void {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) {
    doc.root = value;
    return;
  }
  const { parent, key } = resolveParent(doc.root, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, pointer), 0, value);
  else parent[key] = value;
}

function remove(doc: { root: unknown }, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw patchFailure('cannot remove the whole document');
  const { parent, key } = resolveParent(doc.root, tokens, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, false, pointer), 1)[0];
  if (!Object.hasOwn(parent, key)) throw patchFailure(`path ${pointer} does not exist`);
  const old = parent[key];
  delete parent[key];
  return old;
}

/** Validates the shape of a JSON Patch document (an array of operation objects). */
export function parseJsonPatch(body: unknown): JsonPatchOperation[] {
  if (!Array.isArray(body)) throw badRequest('A JSON Patch document must be an array of operations');
  return body.map((op, i) => {
    if (typeof op !== 'object' || op === null) throw badRequest(`Patch operation ${i} is not an object`);
    const o = op as Record<string, unknown>;
    if (typeof o.op !== 'string' || typeof o.path !== 'string') {
      throw badRequest(`Patch operation ${i} needs 'op' and 'path' strings`);
    }
    if (['add', 'replace', 'test'].includes(o.op) && !('value' in o))
      throw badRequest(`Patch operation ${i} (${o.op}) needs a value`);
    if (['move', 'copy'].includes(o.op) && typeof o.from !== 'string')
      throw badRequest(`Patch operation ${i} (${o.op}) needs 'from'`);
    if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(o.op)) {
      throw badRequest(`Patch operation ${i} has unknown op '${o.op}'`);
    }
    return {
      op: o.op,
      path: o.path,
      ...(typeof o.from === 'string' ? { from: o.from } : {}),
      ...('value' in o ? { value: o.value } : {}),
    };
  });
}

/** Applies the operations to a deep copy of `document` and returns the result. */
export function applyJsonPatch<T>(document: T, operations: readonly JsonPatchOperation[]): T {
  const doc = { root: structuredClone(document) as unknown };
  for (const op of operations) {
    switch (op.op) {
      case 'add':
        add(doc, op.path, structuredClone(op.value));
        break;
      case 'remove':
        remove(doc, op.path);
        break;
      case 'replace':
        getValue(doc.root, op.path);
        if (op.path === '') doc.root = structuredClone(op.value);
        else {
          remove(doc, op.path);
          add(doc, op.path, structuredClone(op.value));
        }
        break;
      case 'move': {
        const from = op.from as string;
        if (op.path.startsWith(`${from}/`)) throw patchFailure(`cannot move ${from} into its own child ${op.path}`);
        const value = remove(doc, from);
        add(doc, op.path, value);
        break;
      }
      case 'copy':
        add(doc, op.path, structuredClone(getValue(doc.root, op.from as string)));
        break;
      case 'test':
        if (!deepEqual(getValue(doc.root, op.path), op.value)) throw patchFailure(`test at ${op.path} did not match`);
        break;
      default:
        throw badRequest(`Unknown patch op '${op.op}'`);
    }
  }
  return doc.root as T;
}
