// ValueSet/$expand and CodeSystem/$lookup (R4 §ValueSet-expand, §CodeSystem-lookup) over a
// terminology index, so forms can offer coded choices.
import type { CodeSystem, CodeSystemConcept, Parameters, ValueSet } from '@medplum/fhirtypes';
import { badRequest, OutcomeError } from '../outcome.js';
import { optionalCode, optionalInteger, optionalString } from '../parameters/optional-parameter.js';
import { normalizeString } from '../search/extract-index.js';
import type { TerminologyIndex } from './terminology-index.js';

export interface ExpandOptions {
  readonly filter?: string;
  readonly count?: number;
  readonly offset?: number;
  readonly now: Date;
}

export function expandValueSet(index: TerminologyIndex, url: string, options: ExpandOptions): ValueSet {
  const vs = index.getValueSet(url);
  if (!vs) throw new OutcomeError('not-found', `Value set ${url} is not known to this server`);
  const expansion = index.expand(url);
  if (!expansion.ok)
    throw new OutcomeError('too-costly', `Value set ${url} cannot be expanded here: ${expansion.reason}`, {
      status: 422,
    });
  let concepts = expansion.concepts;
  if (options.filter) {
    // Each word of the filter must start a word of the display, or match the code (R4 $expand "filter").
    const words = normalizeString(options.filter).split(/\s+/).filter(Boolean);
    concepts = concepts.filter((c) => {
      const display = normalizeString(c.display ?? '');
      const code = normalizeString(c.code);
      return words.every(
        (w) => code.startsWith(w) || display.split(/[\s\-/,()]+/).some((d) => d.startsWith(w)) || display.includes(w),
      );
    });
  }
  const offset = options.offset ?? 0;
  const count = options.count ?? concepts.length;
  if (!Number.isInteger(count) || count < 0) throw badRequest('count must be a non-negative integer');
  const page = concepts.slice(offset, offset + count);
  return {
    resourceType: 'ValueSet',
    ...(vs.id ? { id: vs.id } : {}),
    url: vs.url ?? url,
    ...(vs.version ? { version: vs.version } : {}),
    ...(vs.name ? { name: vs.name } : {}),
    ...(vs.title ? { title: vs.title } : {}),
    status: vs.status ?? 'active',
    expansion: {
      identifier: `urn:uuid:${crypto.randomUUID()}`,
      timestamp: options.now.toISOString(),
      total: concepts.length,
      offset,
      parameter: [
        ...optionalString('filter', options.filter),
        ...optionalInteger('count', options.count),
        ...(offset ? [{ name: 'offset', valueInteger: offset }] : []),
      ],
      contains: page.map((c) => ({
        system: c.system,
        ...(c.version ? { version: c.version } : {}),
        code: c.code,
        ...(c.display ? { display: c.display } : {}),
      })),
    },
  };
}

function findConcept(concepts: readonly CodeSystemConcept[] | undefined, code: string): CodeSystemConcept | undefined {
  for (const c of concepts ?? []) {
    if (c.code === code) return c;
    const inner = findConcept(c.concept, code);
    if (inner) return inner;
  }
  return undefined;
}

export function lookupCode(index: TerminologyIndex, system: string, code: string): Parameters {
  const cs: CodeSystem | undefined = index.getCodeSystem(system);
  if (!cs) throw new OutcomeError('not-found', `Code system ${system} is not known to this server`);
  const concept = findConcept(cs.concept, code);
  if (!concept) throw new OutcomeError('not-found', `Code '${code}' is not in ${system}`);
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'name', valueString: cs.name ?? cs.title ?? system },
      ...optionalString('version', cs.version),
      ...optionalString('display', concept.display),
      ...optionalString('definition', concept.definition),
      ...(concept.designation ?? []).map((d) => ({
        name: 'designation',
        part: [
          ...optionalCode('language', d.language),
          ...(d.use ? [{ name: 'use', valueCoding: d.use }] : []),
          { name: 'value', valueString: d.value ?? '' },
        ],
      })),
      ...(concept.property ?? []).map((p) => ({
        name: 'property',
        part: [
          { name: 'code', valueCode: p.code ?? '' },
          ...Object.entries(p)
            .filter(([k]) => k.startsWith('value'))
            .map(([k, v]) => ({ name: 'value', [k]: v })),
        ],
      })),
    ],
  };
}
