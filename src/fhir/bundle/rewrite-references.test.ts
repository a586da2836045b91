import { describe, expect, it } from 'vitest';
import { collectReferences, rewriteReferencesInPlace } from './rewrite-references.js';

describe('rewriteReferencesInPlace', () => {
  it('rewrites references, uris and narrative links equal to a fullUrl', () => {
    const r = {
      resourceType: 'Observation',
      subject: { reference: 'urn:uuid:1' },
      derivedFrom: [{ reference: 'urn:uuid:2' }, { reference: 'Patient/keep' }],
      text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><a href="urn:uuid:1">p</a></div>' },
      extension: [{ url: 'http://x', valueUri: 'urn:uuid:2' }],
    };
    const n = rewriteReferencesInPlace(
      r,
      new Map([
        ['urn:uuid:1', 'Patient/a'],
        ['urn:uuid:2', 'Observation/b'],
      ]),
    );
    expect(n).toBe(4);
    expect(r.subject.reference).toBe('Patient/a');
    expect(r.derivedFrom.map((d) => d.reference)).toEqual(['Observation/b', 'Patient/keep']);
    expect(r.text.div).toContain('href="Patient/a"');
    expect(r.extension[0]?.valueUri).toBe('Observation/b');
  });

  it('collects references', () => {
    expect([...collectReferences({ a: { reference: 'X/1' }, b: [{ reference: 'Y?z=1' }] })]).toEqual(['X/1', 'Y?z=1']);
  });
});
