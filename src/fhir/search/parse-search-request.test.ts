import { describe, expect, it } from 'vitest';
import { OutcomeError } from '../outcome.js';
import { numberRange, parseSearchRequest, splitEscaped } from './parse-search-request.js';
import type { Filter } from './search-request.js';

const parse = (type: string, params: [string, string][], lenient = false) =>
  parseSearchRequest(type, params, { lenient, isResourceType: (t) => /^[A-Z]/.test(t) && t !== 'Bogus' });
const first = (type: string, name: string, value: string): Filter =>
  parse(type, [[name, value]]).request.filters[0] as Filter;

describe('parseSearchRequest', () => {
  it('splits on unescaped separators only', () => {
    expect(splitEscaped('a,b\\,c,d', ',')).toEqual(['a', 'b\\,c', 'd']);
    expect(splitEscaped('x\\|y|z', '|')).toEqual(['x\\|y', 'z']);
  });

  it.each<[string, { system: string | undefined; code: string | undefined }]>([
    ['1234-5', { system: undefined, code: '1234-5' }],
    ['http://loinc.org|1234-5', { system: 'http://loinc.org', code: '1234-5' }],
    ['|1234-5', { system: '', code: '1234-5' }],
    ['http://loinc.org|', { system: 'http://loinc.org', code: undefined }],
    ['a\\|b', { system: undefined, code: 'a|b' }],
  ])('token %s', (value, expected) => {
    const f = first('Observation', 'code', value);
    expect(f.kind === 'param' && f.values[0]).toEqual({ kind: 'token', ...expected });
  });

  it('reads OR values and AND repeats', () => {
    const { request } = parse('Observation', [
      ['code', 'a,b'],
      ['code', 'c'],
    ]);
    expect(request.filters).toHaveLength(2);
    const f = request.filters[0];
    expect(f?.kind === 'param' && f.values).toHaveLength(2);
  });

  it.each([
    ['2020', 'eq'],
    ['ge2020-01-01', 'ge'],
    ['lt2020-01-01T10:00:00Z', 'lt'],
    ['sa2020', 'sa'],
    ['eb2020', 'eb'],
    ['ap2020', 'ap'],
    ['ne2020', 'ne'],
  ])('date prefix %s', (value, prefix) => {
    const f = first('Encounter', 'date', value);
    expect(f.kind === 'param' && f.values[0]?.kind === 'range' && f.values[0].prefix).toBe(prefix);
  });

  it.each([
    ['100', 99.5, 100.5],
    ['100.0', 99.95, 100.05],
    ['1e2', 50, 150],
    ['-5', -5.5, -4.5],
  ])('number %s has implicit range [%d, %d]', (text, low, high) => {
    const r = numberRange(text);
    expect(r?.low).toBeCloseTo(low);
    expect(r?.high).toBeCloseTo(high);
  });

  it('reads quantities with system and code', () => {
    const f = first('Observation', 'value-quantity', 'gt5.4|http://unitsofmeasure.org|mg');
    expect(f.kind === 'param' && f.values[0]).toMatchObject({
      kind: 'quantity',
      prefix: 'gt',
      system: 'http://unitsofmeasure.org',
      code: 'mg',
    });
  });

  it.each([
    ['Patient/123', 'Patient', '123'],
    ['123', undefined, '123'],
    ['http://example.org/fhir/Patient/123/_history/2', '', 'http://example.org/fhir/Patient/123'],
    ['http://example.org/Questionnaire/phq-9', '', 'http://example.org/Questionnaire/phq-9'],
  ])('reference %s', (value, targetType, targetId) => {
    const f = first('Observation', 'subject', value);
    expect(f.kind === 'param' && f.values[0]).toEqual({ kind: 'reference', targetType, targetId });
  });

  it('reads a reference type modifier', () => {
    const f = first('Observation', 'subject:Patient', '123');
    expect(f.kind === 'param' && f.values[0]).toEqual({ kind: 'reference', targetType: 'Patient', targetId: '123' });
  });

  it('reads modifiers into index names', () => {
    const text = first('Observation', 'code:text', 'height');
    expect(text.kind === 'param' && [text.indexParam, text.indexType]).toEqual(['code:text', 'string']);
    const ident = first('Observation', 'subject:identifier', 'http://x|1');
    expect(ident.kind === 'param' && [ident.indexParam, ident.indexType]).toEqual(['subject:identifier', 'token']);
    expect(first('Patient', 'name:exact', 'Smith')).toMatchObject({ modifier: 'exact' });
    expect(first('Patient', 'gender:missing', 'true')).toMatchObject({ kind: 'missing', missing: true });
  });

  it('reads chains and reverse chains', () => {
    expect(first('Observation', 'subject:Patient.name', 'smith')).toMatchObject({
      kind: 'chain',
      targetType: 'Patient',
    });
    expect(first('Observation', 'patient.name', 'smith')).toMatchObject({ kind: 'chain', targetType: 'Patient' });
    expect(first('Patient', '_has:Observation:patient:code', '1234')).toMatchObject({
      kind: 'has',
      sourceType: 'Observation',
    });
  });

  it('reads result parameters', () => {
    const { request } = parse('Observation', [
      ['_count', '5'],
      ['_sort', '-date,code'],
      ['_include', 'Observation:subject'],
      ['_revinclude:iterate', 'Provenance:target'],
      ['_total', 'accurate'],
      ['_elements', 'code,subject'],
    ]);
    expect(request.count).toBe(5);
    expect(request.sort.map((s) => [typeof s.param === 'string' ? s.param : s.param.code, s.descending])).toEqual([
      ['date', true],
      ['code', false],
    ]);
    expect(request.include[0]).toMatchObject({ sourceType: 'Observation', iterate: false });
    expect(request.revinclude[0]).toMatchObject({ sourceType: 'Provenance', iterate: true });
    expect(request.total).toBe('accurate');
    expect(request.elements).toEqual(['code', 'subject']);
  });

  it('caps _count at 1000 and makes _summary=count count only', () => {
    expect(parse('Patient', [['_count', '5000']]).request.count).toBe(1000);
    expect(parse('Patient', [['_summary', 'count']]).request.count).toBe(0);
  });

  it.each<[string, [string, string][], string]>([
    ['unknown parameter', [['foo', 'bar']], "Unknown search parameter 'foo'"],
    ['unknown modifier', [['name:sounds', 'x']], 'Modifier :sounds is not supported'],
    ['bad date', [['birthdate', '1970-13']], "'1970-13' is not a valid date"],
    ['bad number', [['_count', 'many']], '_count must be a non-negative integer'],
    ['bad missing', [['gender:missing', 'maybe']], ':missing takes true or false'],
    ['chain on a non-reference', [['name.family', 'x']], 'is not a reference parameter'],
    ['ambiguous chain', [['general-practitioner.name', 'x']], 'is ambiguous'],
    ['unknown sort', [['_sort', 'nope']], "Unknown sort parameter 'nope'"],
    ['bad include', [['_include', 'Bogus:subject']], "Unknown resource type 'Bogus'"],
  ])('rejects %s with a 400 naming it', (_name, params, message) => {
    try {
      parse('Patient', params);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(OutcomeError);
      expect((err as OutcomeError).status).toBe(400);
      expect((err as OutcomeError).message).toContain(message);
    }
  });

  it('drops unknown parameters under lenient handling and says so', () => {
    const { request, ignored, applied } = parse(
      'Patient',
      [
        ['foo', 'bar'],
        ['name', 'smith'],
      ],
      true,
    );
    expect(request.filters).toHaveLength(1);
    expect(ignored.map((i) => i.name)).toEqual(['foo']);
    expect(applied).toEqual([['name', 'smith']]);
  });
});
