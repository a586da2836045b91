import { readFileSync } from 'node:fs';
import type { Parameters } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseXml, type XmlElement, xmlToFhir } from '../../../test/support/fhir-xml.js';
import { sharedData } from '../../../test/support/shared-data.js';
import { applyFhirPathPatch } from './apply-fhirpath-patch.js';

const tests = parseXml(readFileSync(sharedData('fhir-patch-tests', 'fhir-patch-tests.xml'), 'utf8'))
  .children[0] as XmlElement;
const child = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => c.name === name);

const cases = tests.children
  .filter((c) => c.name === 'case')
  .map((c) => {
    const input = child(c, 'input')?.children[0] as XmlElement;
    const diff = child(c, 'diff')?.children[0] as XmlElement;
    const output = child(c, 'output')?.children[0];
    const error = child(c, 'error')?.attrs.msg;
    return [
      c.attrs.name ?? '?',
      {
        input: xmlToFhir(input),
        diff: xmlToFhir(diff) as unknown as Parameters,
        output: output ? xmlToFhir(output) : undefined,
        error,
      },
    ] as const;
  });

/** Narrative arrives once as XML and once as an escaped string: compare its text, not its layout. */
function normalizeNarrative<T>(resource: T): T {
  const r = resource as { text?: { div?: string } };
  if (r.text?.div) {
    r.text.div = r.text.div
      .replace(/&quot;/g, '"')
      .replace(/>\s+</g, '><')
      .replace(/\s+/g, ' ');
  }
  return resource;
}

describe('applyFhirPathPatch (HL7 FHIRPath Patch test cases)', () => {
  it('reads all the published cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(33);
  });

  it.each(cases)('%s', (_name, c) => {
    if (c.error) {
      expect(() => applyFhirPathPatch(c.input, c.diff)).toThrow();
      return;
    }
    expect(normalizeNarrative(applyFhirPathPatch(c.input, c.diff))).toEqual(normalizeNarrative(c.output));
  });
});
