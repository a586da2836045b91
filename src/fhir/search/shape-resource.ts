// _summary and _elements (R4 §3.1.1.5.8, §3.1.1.5.9): trimmed views of a resource, marked with the
// SUBSETTED tag so that nobody mistakes them for the whole resource.
import type { Resource } from '@medplum/fhirtypes';
import { getTypeModel } from '../definitions/r4-definitions.js';
import type { SummaryMode } from './search-request.js';

const SUBSETTED = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
  display: 'subsetted',
};

function markSubsetted(resource: Record<string, unknown>): void {
  const meta = { ...((resource.meta as Record<string, unknown> | undefined) ?? {}) };
  const tags = Array.isArray(meta.tag) ? [...meta.tag] : [];
  if (!tags.some((t) => (t as { code?: string }).code === 'SUBSETTED')) tags.push(SUBSETTED);
  meta.tag = tags;
  resource.meta = meta;
}

function keepKeys(resource: Record<string, unknown>, keep: (key: string) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(resource)) {
    const base = k.startsWith('_') ? k.slice(1) : k;
    if (k === 'resourceType' || k === 'id' || k === 'meta' || keep(base)) out[k] = v;
  }
  return out;
}

function elementNameOf(typeName: string, key: string): string | undefined {
  const prop = getTypeModel().getType(typeName)?.properties.get(key);
  return prop?.element.name;
}

/** Returns the view of `resource` asked for, or the resource itself when nothing is trimmed. */
export function shapeResource(
  resource: Resource,
  summary: SummaryMode | undefined,
  elements: readonly string[] | undefined,
): Resource {
  const type = getTypeModel().getType(resource.resourceType);
  const raw = resource as unknown as Record<string, unknown>;
  let shaped: Record<string, unknown> | undefined;
  if (summary === 'true' && type) {
    shaped = keepKeys(raw, (k) => {
      const name = elementNameOf(resource.resourceType, k) ?? k;
      return type.elements.get(name)?.isSummary === true;
    });
  } else if (summary === 'text' && type) {
    shaped = keepKeys(
      raw,
      (k) => k === 'text' || (type.elements.get(elementNameOf(resource.resourceType, k) ?? k)?.min ?? 0) > 0,
    );
  } else if (summary === 'data') {
    shaped = keepKeys(raw, (k) => k !== 'text');
  } else if (elements && elements.length > 0 && type) {
    const wanted = new Set(elements.map((e) => e.split('.').pop() ?? e));
    // Mandatory elements stay so the result is still valid (R4 §3.1.1.5.9).
    shaped = keepKeys(raw, (k) => {
      const name = elementNameOf(resource.resourceType, k) ?? k;
      return wanted.has(name) || wanted.has(k) || (type.elements.get(name)?.min ?? 0) > 0;
    });
  }
  if (!shaped) return resource;
  markSubsetted(shaped);
  return shaped as unknown as Resource;
}
