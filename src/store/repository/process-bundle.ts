// Batch and transaction Bundles (R4 §3.1.0.11). A transaction runs every entry in one database
// transaction — DELETE, then POST, then PUT/PATCH, then GET, as the spec orders them — after
// assigning ids to new resources and rewriting `urn:uuid:` and conditional references; any failing
// entry rolls everything back. A batch runs each entry on its own and reports each outcome.
import type { Bundle, BundleEntry, OperationOutcome, Parameters, Resource } from '@medplum/fhirtypes';
import { collectReferences, rewriteReferencesInPlace } from '../../fhir/bundle/rewrite-references.js';
import { badRequest, OutcomeError, toOperationOutcome } from '../../fhir/outcome.js';
import { parseJsonPatch } from '../../fhir/patch/apply-json-patch.js';
import type { StoredVersion, StoreWriter } from '../store.js';
import { parseETag, type RepositoryContext, type Transact } from './repository-context.js';
import {
  assertResourceType,
  ConcurrentWriteError,
  conditionalDelete,
  conditionalMatches,
  conditionalUpdate,
  createResource,
  deleteResource,
  type PatchBody,
  parseQuery,
  patchResource,
  updateResource,
} from './write-operations.js';

/** Reads and searches inside a bundle are answered by the caller's read path (access rules apply there). */
export interface BundleReader {
  get(tx: StoreWriter, url: string): Promise<{ status: string; resource?: unknown }>;
}

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface ParsedEntry {
  readonly index: number;
  readonly method: Method;
  readonly type: string;
  readonly id: string | undefined;
  readonly query: [string, string][] | undefined;
  readonly url: string;
  readonly entry: BundleEntry;
}

const ORDER: Record<Method, number> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };

/**
 * The shape a batch or transaction must have before any entry is looked at: entries that are
 * objects, and fullUrls unique within the Bundle (R4 invariant bdl-7), so that references between
 * entries mean one thing.
 */
export function assertBundleShape(bundle: Bundle): void {
  const entries: unknown = bundle.entry;
  if (entries === undefined) return;
  if (!Array.isArray(entries)) throw badRequest('Bundle.entry must be an array', 'Bundle.entry');
  const fullUrls = new Map<string, number>();
  entries.forEach((entry: unknown, i) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw badRequest(`Bundle.entry[${i}] must be an object`, `Bundle.entry[${i}]`);
    }
    const { fullUrl, request, resource } = entry as Record<string, unknown>;
    if (fullUrl !== undefined) {
      if (typeof fullUrl !== 'string') throw badRequest(`Bundle.entry[${i}].fullUrl must be a string`);
      const first = fullUrls.get(fullUrl);
      if (first !== undefined) {
        throw new OutcomeError('invariant', `Bundle.entry[${i}] repeats the fullUrl of entry ${first} (bdl-7)`, {
          status: 400,
          expression: [`Bundle.entry[${i}].fullUrl`],
        });
      }
      fullUrls.set(fullUrl, i);
    }
    if (request !== undefined && (request === null || typeof request !== 'object' || Array.isArray(request))) {
      throw badRequest(`Bundle.entry[${i}].request must be an object`, `Bundle.entry[${i}].request`);
    }
    if (
      resource !== undefined &&
      (resource === null ||
        typeof resource !== 'object' ||
        typeof (resource as { resourceType?: unknown }).resourceType !== 'string')
    ) {
      throw badRequest(`Bundle.entry[${i}].resource must be a resource`, `Bundle.entry[${i}].resource`);
    }
  });
}

function parseEntry(entry: BundleEntry, index: number): ParsedEntry {
  const method = entry.request?.method as unknown;
  const url = entry.request?.url as unknown;
  if (typeof method !== 'string' || !Object.hasOwn(ORDER, method))
    throw badRequest(`Bundle entry ${index} has no valid request.method`, `Bundle.entry[${index}].request.method`);
  if (typeof url !== 'string' || !url)
    throw badRequest(`Bundle entry ${index} has no request.url`, `Bundle.entry[${index}].request.url`);
  const [path = '', queryString] = url.replace(/^\//, '').split('?', 2);
  const [type = '', id] = path.split('/');
  return {
    index,
    method: method as Method,
    type,
    id: id || undefined,
    query: queryString !== undefined ? parseQuery(queryString) : undefined,
    url,
    entry,
  };
}

function location(stored: StoredVersion): string {
  return `${stored.resourceType}/${stored.id}/_history/${stored.versionId}`;
}

function responseFor(stored: StoredVersion, status: string): BundleEntry {
  return {
    fullUrl: `${stored.resourceType}/${stored.id}`,
    ...(stored.json ? { resource: JSON.parse(stored.json) as Resource } : {}),
    response: {
      status,
      location: location(stored),
      etag: `W/"${stored.versionId}"`,
      lastModified: new Date(stored.lastUpdated).toISOString(),
    },
  };
}

function outcomeEntry(err: unknown): BundleEntry {
  const e = err instanceof OutcomeError ? err : new OutcomeError('exception', 'Internal error');
  return { response: { status: String(e.status), outcome: toOperationOutcome(e.issues) as OperationOutcome } };
}

function patchBody(entry: BundleEntry, index: number): PatchBody {
  const resource = entry.resource as Resource | undefined;
  if (resource?.resourceType === 'Parameters') return { kind: 'fhirpath-patch', parameters: resource as Parameters };
  if (resource?.resourceType === 'Binary' && (resource as { data?: string }).data) {
    // R4 §3.1.0.11.3: a JSON Patch travels in a transaction as a Binary.
    const text = Buffer.from((resource as { data: string }).data, 'base64').toString('utf8');
    return { kind: 'json-patch', operations: parseJsonPatch(JSON.parse(text)) };
  }
  throw badRequest(`Bundle entry ${index}: PATCH needs a Parameters (FHIRPath Patch) or Binary (JSON Patch) resource`);
}

async function runEntry(
  ctx: RepositoryContext,
  tx: StoreWriter,
  p: ParsedEntry,
  reader: BundleReader,
): Promise<BundleEntry> {
  const ifMatch = parseETag(p.entry.request?.ifMatch);
  switch (p.method) {
    case 'GET':
    case 'HEAD': {
      const r = await reader.get(tx, p.url);
      return {
        ...(r.resource && p.method === 'GET' ? { resource: r.resource as Resource } : {}),
        response: { status: r.status },
      };
    }
    case 'POST': {
      assertResourceType(p.type);
      const resource = p.entry.resource as Resource | undefined;
      if (!resource) throw badRequest(`Bundle entry ${p.index}: POST needs a resource`);
      if (resource.resourceType !== p.type)
        throw badRequest(`Bundle entry ${p.index}: resource is ${resource.resourceType}, url says ${p.type}`);
      const ifNoneExist = p.entry.request?.ifNoneExist;
      const result = await createResource(ctx, tx, resource, {
        ...(ifNoneExist ? { ifNoneExist } : {}),
        ...(resource.id ? { id: resource.id } : {}),
      });
      return responseFor(result.stored, result.created ? '201 Created' : '200 OK');
    }
    case 'PUT': {
      const resource = p.entry.resource;
      if (!resource) throw badRequest(`Bundle entry ${p.index}: PUT needs a resource`);
      const result = p.id
        ? await updateResource(ctx, tx, p.type, p.id, resource, ifMatch)
        : await conditionalUpdate(ctx, tx, p.type, p.query ?? [], resource);
      return responseFor(result.stored, result.created ? '201 Created' : '200 OK');
    }
    case 'PATCH': {
      const body = patchBody(p.entry, p.index);
      let id = p.id;
      if (!id) {
        const matches = await conditionalMatches(ctx, tx, p.type, p.query ?? []);
        if (matches.length !== 1)
          throw new OutcomeError('duplicate', `Conditional patch matched ${matches.length} resources`, {
            status: matches.length === 0 ? 404 : 412,
          });
        id = (matches[0] as StoredVersion).id;
      }
      const result = await patchResource(ctx, tx, p.type, id, body, ifMatch);
      return responseFor(result.stored, '200 OK');
    }
    case 'DELETE': {
      if (p.id) await deleteResource(ctx, tx, p.type, p.id);
      else await conditionalDelete(ctx, tx, p.type, p.query ?? []);
      return { response: { status: '204 No Content' } };
    }
  }
}

/**
 * Assigns ids for new resources and resolves conditional references, then rewrites every link in
 * the bundle. POST entries keep their fullUrl's id mapping; `Type?query` references must match one.
 */
async function resolveLinks(ctx: RepositoryContext, tx: StoreWriter, entries: ParsedEntry[]): Promise<void> {
  const map = new Map<string, string>();
  for (const p of entries) {
    const resource = p.entry.resource as (Resource & { id?: string }) | undefined;
    const fullUrl = p.entry.fullUrl;
    if (p.method === 'POST' && resource) {
      let id: string | undefined;
      if (p.entry.request?.ifNoneExist) {
        const matches = await conditionalMatches(ctx, tx, p.type, parseQuery(p.entry.request.ifNoneExist));
        if (matches.length === 1) id = (matches[0] as StoredVersion).id;
      }
      id ??= ctx.newId();
      p.entry.resource = { ...resource, id };
      if (fullUrl) map.set(fullUrl, `${p.type}/${id}`);
    } else if (p.method === 'PUT' && resource && fullUrl && p.id) {
      map.set(fullUrl, `${p.type}/${p.id}`);
    }
  }
  for (const p of entries) {
    if (!p.entry.resource) continue;
    rewriteReferencesInPlace(p.entry.resource, map);
    for (const ref of collectReferences(p.entry.resource)) {
      const q = ref.indexOf('?');
      if (q < 0 || ref.startsWith('#')) continue;
      const type = ref.slice(0, q);
      assertResourceType(type);
      const matches = await conditionalMatches(ctx, tx, type, parseQuery(ref.slice(q + 1)));
      if (matches.length !== 1) {
        throw new OutcomeError(
          'processing',
          `Conditional reference '${ref}' matched ${matches.length} resources; it must match exactly one`,
          { status: 412 },
        );
      }
      map.set(ref, `${type}/${(matches[0] as StoredVersion).id}`);
    }
    rewriteReferencesInPlace(p.entry.resource, map);
  }
}

export async function processTransaction(
  transaction: Transact,
  bundle: Bundle,
  reader: BundleReader,
  within?: (tx: StoreWriter) => Promise<void>,
): Promise<Bundle> {
  assertBundleShape(bundle);
  const copy = structuredClone(bundle);
  const entries = (copy.entry ?? []).map(parseEntry);
  const responses: BundleEntry[] = new Array(entries.length);
  await transaction(async (tx, ctx) => {
    await resolveLinks(ctx, tx, entries);
    const ordered = [...entries].sort((a, b) => ORDER[a.method] - ORDER[b.method] || a.index - b.index);
    for (const p of ordered) {
      try {
        responses[p.index] = await runEntry(ctx, tx, p, reader);
      } catch (err) {
        if (err instanceof OutcomeError && !(err instanceof ConcurrentWriteError)) {
          // Name the entry so the client can find it; nothing has been written.
          throw new OutcomeError(
            err.issues[0]?.code ?? 'processing',
            `Transaction failed at entry ${p.index} (${p.method} ${p.url}): ${err.message}`,
            {
              status: err.status,
              issues: err.issues.map((i) => ({
                ...i,
                diagnostics: `Entry ${p.index} (${p.method} ${p.url}): ${i.diagnostics}`,
                expression: [`Bundle.entry[${p.index}]`, ...(i.expression ?? [])],
              })),
            },
          );
        }
        throw err;
      }
    }
    await within?.(tx);
  });
  return { resourceType: 'Bundle', type: 'transaction-response', entry: responses };
}

export async function processBatch(transaction: Transact, bundle: Bundle, reader: BundleReader): Promise<Bundle> {
  assertBundleShape(bundle);
  const copy = structuredClone(bundle);
  const responses: BundleEntry[] = [];
  const parsed: (ParsedEntry | OutcomeError)[] = (copy.entry ?? []).map((e, i) => {
    try {
      return parseEntry(e, i);
    } catch (err) {
      return err instanceof OutcomeError ? err : badRequest(String(err));
    }
  });
  // Batch entries should not depend on each other (R4 §3.1.0.11.1), but bundles exported as batches
  // (Synthea's among them) use urn:uuid links; they are honoured when the target is in the batch.
  const valid = parsed.filter((p): p is ParsedEntry => !(p instanceof OutcomeError));
  try {
    await transaction((tx, ctx) => resolveLinks(ctx, tx, valid));
  } catch {
    // Unresolvable conditional references fail their own entries below.
  }
  for (const p of parsed) {
    if (p instanceof OutcomeError) {
      responses.push(outcomeEntry(p));
      continue;
    }
    try {
      responses.push(await transaction((tx, ctx) => runEntry(ctx, tx, p, reader)));
    } catch (err) {
      if (!(err instanceof OutcomeError)) throw err;
      responses.push(outcomeEntry(err));
    }
  }
  return { resourceType: 'Bundle', type: 'batch-response', entry: responses };
}
