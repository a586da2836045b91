// Value set expansion over the CodeSystems and ValueSets the server holds (FHIR's own, Careloop's, and
// any a client stored). Only enumerable content is expanded: explicit concept lists, whole code systems
// whose concepts are present, other value sets, and is-a/descendent-of filters within a present code
// system. Anything else (e.g. all of LOINC) is reported as not expandable rather than guessed.
import type { CodeSystem, CodeSystemConcept, ValueSet, ValueSetComposeInclude } from '@medplum/fhirtypes';

export interface Concept {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
  readonly version?: string;
}

export type Expansion =
  | { readonly ok: true; readonly concepts: readonly Concept[] }
  | { readonly ok: false; readonly reason: string };

export interface TerminologyIndex {
  getCodeSystem(url: string): CodeSystem | undefined;
  getValueSet(url: string): ValueSet | undefined;
  expand(valueSetUrl: string): Expansion;
}

function stripVersion(url: string): string {
  const bar = url.indexOf('|');
  return bar < 0 ? url : url.slice(0, bar);
}

function flattenConcepts(
  system: string,
  concepts: readonly CodeSystemConcept[] | undefined,
  out: Concept[],
  version?: string,
): void {
  for (const c of concepts ?? []) {
    if (c.code) {
      out.push({
        system,
        code: c.code,
        ...(c.display ? { display: c.display } : {}),
        ...(version ? { version } : {}),
      });
    }
    flattenConcepts(system, c.concept, out, version);
  }
}

function findConcept(concepts: readonly CodeSystemConcept[] | undefined, code: string): CodeSystemConcept | undefined {
  for (const c of concepts ?? []) {
    if (c.code === code) return c;
    const inner = findConcept(c.concept, code);
    if (inner) return inner;
  }
  return undefined;
}

/** Lookups a layered index falls back to (e.g. the shipped terminology under client-stored resources). */
export interface TerminologySource {
  getCodeSystem(url: string): CodeSystem | undefined;
  getValueSet(url: string): ValueSet | undefined;
}

export function createTerminologyIndex(
  resources: Iterable<ValueSet | CodeSystem>,
  fallback?: TerminologySource,
): TerminologyIndex {
  const ownCodeSystems = new Map<string, CodeSystem>();
  const ownValueSets = new Map<string, ValueSet>();
  const codeSystems = {
    get: (url: string): CodeSystem | undefined => ownCodeSystems.get(url) ?? fallback?.getCodeSystem(url),
    set: (url: string, cs: CodeSystem): void => {
      ownCodeSystems.set(url, cs);
    },
  };
  const valueSets = {
    get: (url: string): ValueSet | undefined => ownValueSets.get(url) ?? fallback?.getValueSet(url),
    set: (url: string, vs: ValueSet): void => {
      ownValueSets.set(url, vs);
    },
  };
  for (const r of resources) {
    if (!r.url) continue;
    if (r.resourceType === 'CodeSystem') codeSystems.set(r.url, r);
    else if (r.resourceType === 'ValueSet') valueSets.set(r.url, r);
  }
  const cache = new Map<string, Expansion>();

  function expandInclude(inc: ValueSetComposeInclude, seen: Set<string>): Expansion {
    const parts: Concept[][] = [];
    if (inc.system) {
      const cs = codeSystems.get(inc.system);
      const version = inc.version;
      if (inc.concept && inc.concept.length > 0) {
        parts.push(
          inc.concept.map((c) => {
            const display = c.display ?? (cs ? findConcept(cs.concept, c.code ?? '')?.display : undefined);
            return {
              system: inc.system as string,
              code: c.code ?? '',
              ...(display ? { display } : {}),
              ...(version ? { version } : {}),
            };
          }),
        );
      } else {
        if (!cs || cs.content === 'not-present' || !cs.concept) {
          return { ok: false, reason: `code system ${inc.system} is not available to expand` };
        }
        const all: Concept[] = [];
        if (inc.filter && inc.filter.length > 0) {
          for (const f of inc.filter) {
            const isA = f.op === 'is-a' || f.op === 'descendent-of';
            if (f.property !== 'concept' || !isA || !f.value) {
              return { ok: false, reason: `filter ${f.property} ${f.op} is not supported` };
            }
            const root = findConcept(cs.concept, f.value);
            if (!root) return { ok: true, concepts: [] };
            if (f.op === 'is-a') flattenConcepts(inc.system, [root], all, version);
            else flattenConcepts(inc.system, root.concept, all, version);
          }
        } else {
          flattenConcepts(inc.system, cs.concept, all, version);
        }
        parts.push(all);
      }
    }
    for (const vsUrl of inc.valueSet ?? []) {
      const inner = expandUrl(vsUrl, seen);
      if (!inner.ok) return inner;
      parts.push([...inner.concepts]);
    }
    if (parts.length === 0) return { ok: true, concepts: [] };
    // Several parts in one include intersect (ValueSet.compose.include: system AND valueSet).
    let result = parts[0] as Concept[];
    for (const p of parts.slice(1)) {
      const keys = new Set(p.map((c) => `${c.system}|${c.code}`));
      result = result.filter((c) => keys.has(`${c.system}|${c.code}`));
    }
    return { ok: true, concepts: result };
  }

  function expandValueSet(vs: ValueSet, seen: Set<string>): Expansion {
    if (vs.expansion?.contains && !vs.compose) {
      const out: Concept[] = [];
      const walk = (items: NonNullable<NonNullable<ValueSet['expansion']>['contains']>): void => {
        for (const c of items) {
          if (c.system && c.code) {
            out.push({ system: c.system, code: c.code, ...(c.display ? { display: c.display } : {}) });
          }
          if (c.contains) walk(c.contains);
        }
      };
      walk(vs.expansion.contains);
      return { ok: true, concepts: out };
    }
    const included: Concept[] = [];
    const seenKeys = new Set<string>();
    for (const inc of vs.compose?.include ?? []) {
      const e = expandInclude(inc, seen);
      if (!e.ok) return e;
      for (const c of e.concepts) {
        const key = `${c.system}|${c.code}`;
        if (!seenKeys.has(key)) {
          seenKeys.add(key);
          included.push(c);
        }
      }
    }
    const excluded = new Set<string>();
    for (const exc of vs.compose?.exclude ?? []) {
      const e = expandInclude(exc, seen);
      if (!e.ok) return e;
      for (const c of e.concepts) excluded.add(`${c.system}|${c.code}`);
    }
    return {
      ok: true,
      concepts: excluded.size ? included.filter((c) => !excluded.has(`${c.system}|${c.code}`)) : included,
    };
  }

  function expandUrl(rawUrl: string, seen: Set<string>): Expansion {
    const url = stripVersion(rawUrl);
    const cached = cache.get(url);
    if (cached) return cached;
    if (seen.has(url)) return { ok: false, reason: `value set ${url} includes itself` };
    const vs = valueSets.get(url);
    if (!vs) return { ok: false, reason: `value set ${url} is not known to this server` };
    const result = expandValueSet(vs, new Set([...seen, url]));
    cache.set(url, result);
    return result;
  }

  return {
    getCodeSystem: (url) => codeSystems.get(stripVersion(url)),
    getValueSet: (url) => valueSets.get(stripVersion(url)),
    expand: (url) => expandUrl(url, new Set()),
  };
}
