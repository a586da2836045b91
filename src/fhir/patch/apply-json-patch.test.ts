import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/support/shared-data.js';
import { applyJsonPatch, parseJsonPatch } from './apply-json-patch.js';

interface Case {
  comment?: string;
  doc: unknown;
  patch: unknown;
  expected?: unknown;
  error?: string;
  disabled?: boolean;
}

const cases = (
  JSON.parse(readFileSync(sharedData('fhir-patch-tests', 'json-patch-tests.json'), 'utf8')) as Case[]
).filter((c) => !c.disabled);

describe('applyJsonPatch (HL7 JSON Patch test cases)', () => {
  it.each(cases.map((c, i) => [c.comment ?? `case ${i}`, c] as const))('%s', (_name, c) => {
    const run = () => applyJsonPatch(c.doc, parseJsonPatch(c.patch));
    if (c.error !== undefined) expect(run).toThrow();
    else expect(run()).toEqual(c.expected ?? c.doc);
  });

  it('leaves the input unchanged', () => {
    const doc = { a: [1, 2] };
    applyJsonPatch(doc, [{ op: 'add', path: '/a/-', value: 3 }]);
    expect(doc).toEqual({ a: [1, 2] });
  });
});
