import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/support/shared-data.js';
import { getR4Definitions, getTypeModel } from '../definitions/r4-definitions.js';
import { compilePath, splitUnion, termsForType } from './compile-path.js';
import { evaluateFhirPath } from './fhirpath-engine.js';

function loadResources(): { resourceType: string }[] {
  const out: { resourceType: string }[] = [];
  for (const dir of ['synthea', 'synthea-covid19']) {
    for (const f of readdirSync(sharedData(dir))) {
      const b = JSON.parse(readFileSync(sharedData(dir, f), 'utf8')) as {
        entry: { resource: { resourceType: string } }[];
      };
      out.push(...b.entry.map((e) => e.resource));
    }
  }
  for (const dir of ['fhir-examples']) {
    for (const f of readdirSync(sharedData(dir)).filter((x) => x.endsWith('.json'))) {
      out.push(JSON.parse(readFileSync(sharedData(dir, f), 'utf8').replace(/^\uFEFF/, '')));
    }
  }
  return out;
}

/** Values compared as JSON, order-insensitive; fhirpath.js returns decimals as numbers too. */
function canonical(values: unknown[]): string[] {
  return values.map((v) => JSON.stringify(v)).sort();
}

describe('compilePath', () => {
  it('splits unions at top level only', () => {
    expect(splitUnion("A.b | (A.c as X) | A.d.where(e='x|y')")).toEqual(['A.b', '(A.c as X)', "A.d.where(e='x|y')"]);
  });

  it('keeps the terms for one type', () => {
    expect(
      termsForType('AllergyIntolerance.patient | CarePlan.subject.where(resolve() is Patient)', 'CarePlan'),
    ).toEqual(['CarePlan.subject.where(resolve() is Patient)']);
  });

  it('compiles every official search parameter expression without the general engine', () => {
    const model = getTypeModel();
    const engine: string[] = [];
    for (const sp of getR4Definitions().searchParameters) {
      if (!sp.expression) continue;
      for (const rt of sp.base.includes('Resource') ? ['Patient'] : sp.base) {
        const terms = termsForType(sp.expression, rt);
        if (terms.length && compilePath(terms.join(' | '), model).usesEngine) engine.push(`${rt}.${sp.code}`);
      }
    }
    expect(engine).toEqual([]);
  });

  it('returns what the reference FHIRPath engine returns, for every parameter on real resources', () => {
    const model = getTypeModel();
    const defs = getR4Definitions().searchParameters;
    let compared = 0;
    for (const resource of loadResources()) {
      for (const sp of defs) {
        if (!sp.expression || sp.expression.includes('resolve()')) continue;
        if (
          !sp.base.includes(resource.resourceType) &&
          !sp.base.includes('Resource') &&
          !sp.base.includes('DomainResource')
        )
          continue;
        const terms = termsForType(sp.expression, resource.resourceType);
        if (!terms.length) continue;
        const expr = terms.join(' | ');
        let expected: unknown[];
        try {
          expected = evaluateFhirPath(resource, expr);
        } catch {
          // The engine is strict about `as` on collections (e.g. component-value-quantity); the index is lenient.
          continue;
        }
        const actual = compilePath(expr, model)
          .evaluate({ value: resource, type: resource.resourceType })
          .map((v) => v.value);
        expect(canonical(actual), `${resource.resourceType}.${sp.code}`).toEqual(canonical(expected));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('filters references by target type', () => {
    const c = compilePath('Observation.subject.where(resolve() is Patient)');
    const pick = (ref: string) =>
      c.evaluate({ value: { resourceType: 'Observation', subject: { reference: ref } }, type: 'Observation' }).length;
    expect(pick('Patient/1')).toBe(1);
    expect(pick('Group/1')).toBe(0);
    expect(pick('http://x.org/fhir/Patient/1/_history/2')).toBe(1);
  });

  it('types choice values by their JSON key', () => {
    const c = compilePath('Observation.value');
    const r = c.evaluate({ value: { resourceType: 'Observation', valueQuantity: { value: 1 } }, type: 'Observation' });
    expect(r).toEqual([{ value: { value: 1 }, type: 'Quantity' }]);
  });
});
