// Turning import input into ready-to-write versions, off the main thread. Each input becomes groups
// of writes that commit together: a transaction Bundle is one group (all-or-nothing, as FHIR says),
// every other resource is a group of its own. Bundles that need lookups in the database (conditional
// creates, conditional references, updates and deletes) are handed back whole, to go through the
// same transaction code as the REST API.
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { collectReferences, rewriteReferencesInPlace } from '../../fhir/bundle/rewrite-references.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { prepareVersion } from '../../store/repository/prepare-version.js';
import type { VersionWrite } from '../../store/store.js';

export interface ImportGroup {
  readonly writes: VersionWrite[];
  /** Ids came from the source (PUT semantics): existing resources must be updated, not created. */
  readonly upsert: boolean;
  /** Links to `urn:` fullUrls not seen yet: written at the end, once every file has been read. */
  readonly unresolved: boolean;
  /** Where it came from, for messages: `file.json entry 3`. */
  readonly label: string;
}

export interface PreparedChunk {
  readonly groups: ImportGroup[];
  /** Bundles that need the full transaction machinery. */
  readonly slowBundles: Bundle[];
  /** fullUrl to `Type/id` assigned here, so later files can link to these resources. */
  readonly fullUrls: [string, string][];
  readonly errors: string[];
}

export interface PrepareContext {
  readonly newId: () => string;
  readonly now: number;
  /**
   * Whether the input may hold conditional references (`Patient?identifier=...`), which need the
   * database. The worker tests the raw text (cheap); when absent, the parsed bundle is searched.
   */
  readonly mayHaveConditionalReferences?: boolean;
}

/** Conditional references in raw JSON text: `"reference": "Type?..."`. */
export const CONDITIONAL_REFERENCE = /"reference"\s*:\s*"[A-Z][A-Za-z]+\?/;

function message(err: unknown): string {
  if (err instanceof OutcomeError) return err.issues.map((i) => i.diagnostics).join('; ');
  return err instanceof Error ? err.message : String(err);
}

/** Links to `urn:` fullUrls still in the written JSON (a substring test: cheap, and exact enough). */
function hasUnresolvedLinks(json: string | undefined): boolean {
  return json !== undefined && (json.includes('"reference":"urn:uuid:') || json.includes('"reference":"urn:oid:'));
}

function isResource(v: unknown): v is Resource {
  return typeof v === 'object' && v !== null && typeof (v as { resourceType?: unknown }).resourceType === 'string';
}

/** A resource that is neither in a transaction nor a batch: its own id is kept (PUT), else one is assigned. */
function standalone(ctx: PrepareContext, resource: Resource, label: string, out: PreparedChunk): void {
  try {
    const id = resource.id ?? ctx.newId();
    const prepared = prepareVersion(resource, id, 1, ctx.now);
    out.groups.push({
      writes: [prepared.write],
      upsert: resource.id !== undefined,
      unresolved: hasUnresolvedLinks(prepared.write.json),
      label,
    });
  } catch (err) {
    out.errors.push(`${label}: ${message(err)}`);
  }
}

function isSimplePost(e: BundleEntry): boolean {
  return e.request?.method === 'POST' && !e.request.ifNoneExist && isResource(e.resource);
}

function usesConditionalReferences(ctx: PrepareContext, bundle: Bundle): boolean {
  if (ctx.mayHaveConditionalReferences === false) return false;
  for (const ref of collectReferences(bundle)) if (/^[A-Z][A-Za-z]+\?/.test(ref)) return true;
  return false;
}

function prepareBundle(ctx: PrepareContext, bundle: Bundle, label: string, out: PreparedChunk): void {
  const entries = bundle.entry ?? [];
  if (bundle.type === 'transaction' || bundle.type === 'batch') {
    if (!entries.every(isSimplePost) || usesConditionalReferences(ctx, bundle)) {
      out.slowBundles.push(bundle);
      return;
    }
    // Assign the new ids first, then rewrite every link to them (R4 §3.1.0.11.2).
    const map = new Map<string, string>();
    const resources = entries.map((e) => {
      const resource = e.resource as Resource;
      const id = ctx.newId();
      resource.id = id;
      if (e.fullUrl) map.set(e.fullUrl, `${resource.resourceType}/${id}`);
      return resource;
    });
    for (const r of resources) rewriteReferencesInPlace(r, map);
    out.fullUrls.push(...map);
    if (bundle.type === 'batch') {
      resources.forEach((r, i) => {
        try {
          const prepared = prepareVersion(r, r.id as string, 1, ctx.now);
          out.groups.push({
            writes: [prepared.write],
            upsert: false,
            unresolved: hasUnresolvedLinks(prepared.write.json),
            label: `${label} entry ${i}`,
          });
        } catch (err) {
          out.errors.push(`${label} entry ${i}: ${message(err)}`);
        }
      });
      return;
    }
    const writes: VersionWrite[] = [];
    let unresolved = false;
    for (let i = 0; i < resources.length; i++) {
      const r = resources[i] as Resource;
      try {
        const entryType = entries[i]?.request?.url?.split(/[/?]/)[0];
        if (entryType && entryType !== r.resourceType)
          throw new Error(`resource is ${r.resourceType}, request.url says ${entryType}`);
        const prepared = prepareVersion(r, r.id as string, 1, ctx.now);
        writes.push(prepared.write);
        unresolved ||= hasUnresolvedLinks(prepared.write.json);
      } catch (err) {
        // A transaction is all-or-nothing: one bad entry rejects the bundle.
        out.errors.push(`${label} rejected (transaction), entry ${i}: ${message(err)}`);
        return;
      }
    }
    out.groups.push({ writes, upsert: false, unresolved, label });
    return;
  }
  // collection, searchset, document, message, history: store what the entries hold.
  entries.forEach((e, i) => {
    if (!isResource(e.resource)) return;
    const resource = e.resource;
    if (!resource.id && e.fullUrl) {
      resource.id = ctx.newId();
      out.fullUrls.push([e.fullUrl, `${resource.resourceType}/${resource.id}`]);
    }
    standalone(ctx, resource, `${label} entry ${i}`, out);
  });
}

export function emptyChunk(): PreparedChunk {
  return { groups: [], slowBundles: [], fullUrls: [], errors: [] };
}

/**
 * Prepares one parsed JSON document (a Bundle or a single resource). The document belongs to the
 * import: its resources are given ids and rewritten in place rather than copied.
 */
export function prepareDocument(
  ctx: PrepareContext,
  doc: unknown,
  label: string,
  out: PreparedChunk = emptyChunk(),
): PreparedChunk {
  if (!isResource(doc)) {
    out.errors.push(`${label}: not a FHIR resource (no resourceType)`);
    return out;
  }
  if (
    doc.resourceType === 'Bundle' &&
    ['transaction', 'batch', 'collection', 'searchset', 'document', 'message', 'history'].includes(
      String((doc as Bundle).type),
    )
  ) {
    prepareBundle(ctx, doc as Bundle, label, out);
  } else {
    standalone(ctx, doc, label, out);
  }
  return out;
}
