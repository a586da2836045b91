// Everything a write needs before it reaches the database, done once: validation against the R4
// definitions, server-owned meta (versionId, lastUpdated), the JSON text, the search index and the
// patient compartments. Pure, so the import workers run it off the main thread.
import type { Resource } from '@medplum/fhirtypes';
import { patientCompartmentsOf } from '../../fhir/compartment/patient-compartment.js';
import { sanitizeNarratives } from '../../fhir/narrative/sanitize-xhtml.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { extractIndex } from '../../fhir/search/extract-index.js';
import { validateResource } from '../../fhir/validate/validate-resource.js';
import type { VersionWrite } from '../store.js';

export interface PreparedVersion {
  readonly write: VersionWrite;
  readonly resource: Resource;
}

/** Throws a 400 OperationOutcome listing every problem when the resource is not valid R4. */
export function assertValid(resource: unknown, expectedType?: string): asserts resource is Resource {
  const issues = validateResource(resource, expectedType);
  if (issues.length > 0) {
    const first = issues[0];
    throw new OutcomeError(first?.code ?? 'invalid', first?.diagnostics ?? 'Invalid resource', {
      status: 400,
      issues: issues.map((i) => ({
        code: i.code,
        diagnostics: i.diagnostics,
        expression: i.expression ? [i.expression] : [],
      })),
    });
  }
}

/** The resource with server meta in place, `resourceType, id, meta` first. */
export function withServerMeta(resource: Resource, id: string, versionId: number, lastUpdated: number): Resource {
  const { resourceType, id: _oldId, meta, ...rest } = resource as Resource & Record<string, unknown>;
  const newMeta = { ...(meta ?? {}), versionId: String(versionId), lastUpdated: new Date(lastUpdated).toISOString() };
  return { resourceType, id, meta: newMeta, ...rest } as Resource;
}

export function prepareVersion(
  resource: Resource,
  id: string,
  versionId: number,
  lastUpdated: number,
): PreparedVersion {
  assertValid(resource);
  // Narrative written by users is sanitized before it is stored (no scripts, handlers, unsafe links).
  sanitizeNarratives(resource);
  const final = withServerMeta(resource, id, versionId, lastUpdated);
  const index = extractIndex(final);
  return {
    resource: final,
    write: {
      resourceType: final.resourceType,
      id,
      versionId,
      lastUpdated,
      json: JSON.stringify(final),
      index,
      compartments: patientCompartmentsOf(final, index),
    },
  };
}

/**
 * A deletion version. It keeps the compartments of the version it deletes: whether someone may
 * learn that a resource was deleted (410 rather than 404) depends on whose record it was in.
 */
export function prepareDeletion(
  resourceType: string,
  id: string,
  versionId: number,
  lastUpdated: number,
  previousJson: string | undefined,
): VersionWrite {
  let compartments: string[] = [];
  if (previousJson) {
    const previous = JSON.parse(previousJson) as Resource;
    compartments = patientCompartmentsOf(previous, extractIndex(previous));
  }
  return { resourceType, id, versionId, lastUpdated, json: undefined, index: undefined, compartments };
}

/** Whether two versions differ in anything but the server-owned meta. */
export function contentChanged(previousJson: string, next: Resource): boolean {
  const strip = (r: Record<string, unknown>): string => {
    const meta = { ...((r.meta as Record<string, unknown> | undefined) ?? {}) };
    delete meta.versionId;
    delete meta.lastUpdated;
    return JSON.stringify({ ...r, meta });
  };
  return (
    strip(JSON.parse(previousJson) as Record<string, unknown>) !== strip(next as unknown as Record<string, unknown>)
  );
}
