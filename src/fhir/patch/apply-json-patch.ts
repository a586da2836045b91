// JSON Patch (RFC 6902) applied to a copy of a resource, by the maintained fast-json-patch library
// (its RFC test suite, JSON Pointer escaping per RFC 6901, prototype-pollution guard), wrapped here
// in one place: Careloop checks the document's shape first (400 naming the operation) and turns a
// failing operation into a 422 OperationOutcome; a failing operation rejects the whole patch.
import jsonPatch from 'fast-json-patch';
import { badRequest, OutcomeError } from '../outcome.js';

const { applyPatch, JsonPatchError } = jsonPatch;

export interface JsonPatchOperation {
  readonly op: string;
  readonly path: string;
  readonly from?: string;
  readonly value?: unknown;
}

/** What the library reports, in the words of the outcome. */
const FAILURES: Readonly<Record<string, string>> = {
  OPERATION_PATH_UNRESOLVABLE: 'the path does not exist',
  OPERATION_FROM_UNRESOLVABLE: 'the from path does not exist',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'the array index is out of bounds',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: 'the path is not an array index',
  TEST_OPERATION_FAILED: 'a test did not match',
};

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
  const ops = structuredClone(operations) as Parameters<typeof applyPatch>[1];
  try {
    // validate: each operation is checked against the document before it is applied; the library
    // works on our own deep copy, so a failure leaves the caller's resource untouched.
    return applyPatch(structuredClone(document), ops, true, true).newDocument as T;
  } catch (err) {
    if (err instanceof JsonPatchError) {
      const at = err.operation?.path !== undefined ? ` at ${err.operation.path}` : '';
      const why = FAILURES[err.name];
      if (why) throw new OutcomeError('processing', `Patch failed: ${why}${at}`, { status: 422 });
      throw badRequest(`Patch operation ${err.index ?? ''} is not valid: ${err.name}`);
    }
    // The library refuses __proto__ and constructor/prototype paths (prototype pollution).
    throw new OutcomeError('processing', 'Patch failed: the path is not allowed', { status: 422 });
  }
}
