// The FHIR write interactions (R4 §3.1.0.2-3.1.0.7: create, update, patch, delete and their
// conditional forms) as functions over one open transaction, so that the HTTP routes, transaction
// bundles and domain hooks all share exactly the same rules.
import type { Parameters, Resource } from '@medplum/fhirtypes';
import { getTypeModel } from '../../fhir/definitions/r4-definitions.js';
import { badRequest, OutcomeError } from '../../fhir/outcome.js';
import { applyFhirPathPatch } from '../../fhir/patch/apply-fhirpath-patch.js';
import { applyJsonPatch, type JsonPatchOperation } from '../../fhir/patch/apply-json-patch.js';
import { parseSearchRequest } from '../../fhir/search/parse-search-request.js';
import { ID_PATTERN } from '../../fhir/validate/validate-resource.js';
import { anyMatch, searchEvery } from '../read-every-page.js';
import { type StoredVersion, type StoreWriter, VersionConflictError } from '../store.js';
import { withSecurityContext } from './binary-security-context.js';
import { assertValid, contentChanged, prepareDeletion, prepareVersion } from './prepare-version.js';
import type { HookReader, RepositoryContext, TxRepository, WriteEvent } from './repository-context.js';

export interface WriteResult {
  readonly stored: StoredVersion;
  /** 201 when a resource came into being (create, or update of a new/deleted id). */
  readonly created: boolean;
  /** False when an update carried no change (no new version was written). */
  readonly changed: boolean;
}

export interface DeleteResult {
  readonly deleted: boolean;
}

export type PatchBody =
  | { readonly kind: 'json-patch'; readonly operations: readonly JsonPatchOperation[] }
  | { readonly kind: 'fhirpath-patch'; readonly parameters: Parameters };

export function assertResourceType(type: string): void {
  if (!getTypeModel().isResourceType(type)) {
    throw new OutcomeError('not-supported', `Unknown resource type '${type}'`, { status: 404 });
  }
}

export function assertId(id: string): void {
  if (!ID_PATTERN.test(id)) throw badRequest(`Invalid id '${id}': 1-64 letters, digits, '-' or '.'`);
}

/**
 * Another writer changed the resource between our read and our write (possible with several
 * servers on one PostgreSQL). Without an If-Match nothing was promised about the version, so the
 * repository runs the whole operation again; if it keeps losing, the client gets this 409.
 */
export class ConcurrentWriteError extends OutcomeError {
  constructor(message: string) {
    super('conflict', `Version conflict: ${message}`, { status: 409 });
    this.name = 'ConcurrentWriteError';
  }
}

function conflictToPrecondition(err: unknown): never {
  if (err instanceof VersionConflictError) throw new ConcurrentWriteError(err.message);
  throw err;
}

async function runHooks(ctx: RepositoryContext, tx: StoreWriter, written: WriteEvent): Promise<void> {
  const event = ctx.guard?.agent ? { ...written, agent: ctx.guard.agent } : written;
  ctx.written?.push(event);
  const hooks = [...(ctx.hooks[event.resourceType] ?? []), ...(ctx.hooks['*'] ?? [])];
  if (hooks.length === 0) return;
  const repo = txRepository(ctx, tx);
  const reader: HookReader = {
    searchEvery: (type, query) => searchEvery(tx, type, query),
    anyMatch: (type, query) => anyMatch(tx, type, query),
    readCurrent: async <T>(type: string, id: string) => {
      const stored = await tx.readCurrent(type, id);
      return stored?.json ? (JSON.parse(stored.json) as T) : undefined;
    },
    lock: (name) => tx.lock(name),
  };
  for (const hook of hooks) await hook(event, reader, repo);
}

/**
 * Creates and hooks write through the same functions, so a hook's writes are validated too. They
 * are the domain's consequences of a permitted write, not the requester's own, so the requester's
 * access guard does not apply to them (they are still recorded with the transaction's writes).
 */
export function txRepository(parent: RepositoryContext, tx: StoreWriter): TxRepository {
  const ctx: RepositoryContext = { ...parent, guard: undefined };
  return {
    create: async (resource) => {
      const r = await createResource(ctx, tx, resource);
      return { resource: JSON.parse(r.stored.json as string) as Resource };
    },
    update: async (resource) => {
      const r = await updateResource(ctx, tx, resource.resourceType, resource.id, resource, undefined);
      return { resource: JSON.parse(r.stored.json as string) as Resource };
    },
  };
}

function toStored(write: {
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdated: number;
  json: string | undefined;
}): StoredVersion {
  return { ...write, deleted: write.json === undefined };
}

/**
 * Serializes conditional creates and updates of one type with the same criteria (in any parameter
 * order), across servers: the second of two racing requests waits for the first to commit, then
 * finds what it created (R4 §3.1.0.8: the server "creates the resource only if no match exists").
 * Criteria are compared as given, as other servers do (HAPI FHIR keys its check on the search URL):
 * two different queries that match the same resource are not serialized.
 */
async function lockCriteria(tx: StoreWriter, type: string, query: readonly [string, string][]): Promise<void> {
  const canonical = [...query]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort()
    .join('&');
  await tx.lock(`conditional:${type}?${canonical}`);
}

/** Matches of a conditional interaction's query (`identifier=x&active=true`). */
export async function conditionalMatches(
  ctx: RepositoryContext,
  tx: StoreWriter,
  resourceType: string,
  query: readonly [string, string][],
  limit = 2,
): Promise<StoredVersion[]> {
  if (query.length === 0) throw badRequest('A conditional interaction needs search criteria');
  const { request } = parseSearchRequest(resourceType, query, {
    isResourceType: (t) => getTypeModel().isResourceType(t),
  });
  // Only what the requester may see can match: a hidden resource neither blocks nor is overwritten.
  const page = await tx.search({
    ...request,
    ...(ctx.guard ? { access: ctx.guard.filter } : {}),
    count: limit,
    offset: 0,
    include: [],
    revinclude: [],
    sort: [],
    total: 'none',
  });
  return [...page.matches];
}

export function parseQuery(query: string): [string, string][] {
  return [...new URLSearchParams(query.startsWith('?') ? query.slice(1) : query)];
}

export async function createResource(
  ctx: RepositoryContext,
  tx: StoreWriter,
  body: unknown,
  options: { ifNoneExist?: string; id?: string } = {},
): Promise<WriteResult> {
  assertValid(body);
  const resource = body;
  if (options.ifNoneExist !== undefined) {
    const query = parseQuery(options.ifNoneExist);
    if (query.length > 0) await lockCriteria(tx, resource.resourceType, query);
    const matches = await conditionalMatches(ctx, tx, resource.resourceType, query);
    if (matches.length > 1) {
      throw new OutcomeError(
        'duplicate',
        `Conditional create: ${matches.length} or more ${resource.resourceType} resources match '${options.ifNoneExist}'`,
        { status: 412 },
      );
    }
    if (matches.length === 1) return { stored: matches[0] as StoredVersion, created: false, changed: false };
  }
  const id = options.id ?? ctx.newId();
  const prepared = await withSecurityContext(tx, prepareVersion(resource, id, 1, ctx.now()));
  await ctx.guard?.checkWrite(
    {
      interaction: 'create',
      resourceType: resource.resourceType,
      id,
      resource: prepared.resource,
      compartments: prepared.write.compartments,
      previous: undefined,
    },
    tx,
  );
  try {
    await tx.write(prepared.write);
  } catch (err) {
    conflictToPrecondition(err);
  }
  await runHooks(ctx, tx, {
    interaction: 'create',
    resourceType: resource.resourceType,
    id,
    resource: prepared.resource,
    previous: undefined,
    compartments: prepared.write.compartments,
  });
  return { stored: toStored(prepared.write), created: true, changed: true };
}

export async function updateResource(
  ctx: RepositoryContext,
  tx: StoreWriter,
  type: string,
  id: string,
  body: unknown,
  ifMatch: number | undefined,
  interaction: 'update' | 'patch' = 'update',
): Promise<WriteResult> {
  assertResourceType(type);
  assertId(id);
  assertValid(body, type);
  const resource = body;
  if (resource.id === undefined) throw badRequest('The resource in an update must carry its id', `${type}.id`);
  if (resource.id !== id)
    throw badRequest(`The id in the body (${resource.id}) does not match the URL (${id})`, `${type}.id`);
  if (ifMatch !== undefined && Number.isNaN(ifMatch)) throw badRequest('If-Match must be an ETag like W/"3"');
  const current = await tx.readCurrent(type, id);
  if (ifMatch !== undefined && (!current || current.versionId !== ifMatch)) {
    throw new OutcomeError(
      'conflict',
      `Precondition failed: ${type}/${id} is at version ${current?.versionId ?? 'none'}, not ${ifMatch}`,
      { status: 412 },
    );
  }
  const previous = current?.json ? (JSON.parse(current.json) as Resource) : undefined;
  const versionId = (current?.versionId ?? 0) + 1;
  const prepared = await withSecurityContext(tx, prepareVersion(resource, id, versionId, ctx.now()));
  // Checked before anything else answers, so that an unchanged update reveals nothing either.
  await ctx.guard?.checkWrite(
    {
      interaction,
      resourceType: type,
      id,
      resource: prepared.resource,
      compartments: prepared.write.compartments,
      previous: current,
    },
    tx,
  );
  if (current?.json && !contentChanged(current.json, prepared.resource)) {
    return { stored: current, created: false, changed: false };
  }
  try {
    await tx.write(prepared.write);
  } catch (err) {
    if (err instanceof VersionConflictError && ifMatch !== undefined) {
      throw new OutcomeError('conflict', `Precondition failed: ${err.message}`, { status: 412 });
    }
    conflictToPrecondition(err);
  }
  await runHooks(ctx, tx, {
    interaction,
    resourceType: type,
    id,
    resource: prepared.resource,
    previous,
    compartments: prepared.write.compartments,
  });
  return { stored: toStored(prepared.write), created: !current || current.deleted, changed: true };
}

export async function conditionalUpdate(
  ctx: RepositoryContext,
  tx: StoreWriter,
  type: string,
  query: readonly [string, string][],
  body: unknown,
): Promise<WriteResult> {
  assertResourceType(type);
  if (query.length > 0) await lockCriteria(tx, type, query);
  const matches = await conditionalMatches(ctx, tx, type, query);
  if (matches.length > 1) {
    throw new OutcomeError('duplicate', `Conditional update: more than one ${type} matches the criteria`, {
      status: 412,
    });
  }
  const bodyId = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined;
  if (matches.length === 1) {
    const match = matches[0] as StoredVersion;
    if (bodyId !== undefined && bodyId !== match.id) {
      throw badRequest(`The id in the body (${String(bodyId)}) is not the id of the matching resource (${match.id})`);
    }
    return updateResource(ctx, tx, type, match.id, { ...(body as object), id: match.id }, undefined);
  }
  // No match: create, with the client's id if it gave one (R4 §3.1.0.4.3).
  if (typeof bodyId === 'string') return updateResource(ctx, tx, type, bodyId, body, undefined);
  return createResource(ctx, tx, body);
}

export async function patchResource(
  ctx: RepositoryContext,
  tx: StoreWriter,
  type: string,
  id: string,
  patch: PatchBody,
  ifMatch: number | undefined,
): Promise<WriteResult> {
  assertResourceType(type);
  assertId(id);
  const current = await tx.readCurrent(type, id);
  // A patch's errors describe the resource: a hidden one is simply not there.
  if (!current || (ctx.guard && !(await tx.visible(type, id, ctx.guard.filter)))) {
    throw new OutcomeError('not-found', `${type}/${id} does not exist`);
  }
  if (current.deleted || !current.json) throw new OutcomeError('deleted', `${type}/${id} has been deleted`);
  if (ifMatch !== undefined && current.versionId !== ifMatch) {
    throw new OutcomeError(
      'conflict',
      `Precondition failed: ${type}/${id} is at version ${current.versionId}, not ${ifMatch}`,
      { status: 412 },
    );
  }
  const resource = JSON.parse(current.json) as Resource;
  const patched =
    patch.kind === 'json-patch'
      ? applyJsonPatch(resource, patch.operations)
      : applyFhirPathPatch(resource, patch.parameters);
  if (
    typeof patched !== 'object' ||
    patched === null ||
    (patched as Resource).resourceType !== type ||
    (patched as Resource).id !== id
  ) {
    throw new OutcomeError('processing', 'A patch may not change the resource type or id', { status: 422 });
  }
  return updateResource(ctx, tx, type, id, patched, current.versionId, 'patch');
}

export async function deleteResource(
  ctx: RepositoryContext,
  tx: StoreWriter,
  type: string,
  id: string,
): Promise<DeleteResult> {
  assertResourceType(type);
  assertId(id);
  const current = await tx.readCurrent(type, id);
  if (!current) throw new OutcomeError('not-found', `${type}/${id} does not exist`);
  const prepared = prepareDeletion(type, id, current.versionId + 1, ctx.now(), current.json);
  // A Binary governed by another resource keeps the record it was stored in.
  const deletion =
    prepared.compartments.length === 0 && current.patient ? { ...prepared, compartments: [current.patient] } : prepared;
  await ctx.guard?.checkWrite(
    {
      interaction: 'delete',
      resourceType: type,
      id,
      resource: undefined,
      compartments: deletion.compartments,
      previous: current,
    },
    tx,
  );
  if (current.deleted) return { deleted: false };
  try {
    await tx.write(deletion);
  } catch (err) {
    conflictToPrecondition(err);
  }
  await runHooks(ctx, tx, {
    interaction: 'delete',
    resourceType: type,
    id,
    resource: undefined,
    previous: current.json ? (JSON.parse(current.json) as Resource) : undefined,
    compartments: deletion.compartments,
  });
  return { deleted: true };
}

export async function conditionalDelete(
  ctx: RepositoryContext,
  tx: StoreWriter,
  type: string,
  query: readonly [string, string][],
): Promise<DeleteResult> {
  assertResourceType(type);
  const matches = await conditionalMatches(ctx, tx, type, query);
  if (matches.length > 1) {
    throw new OutcomeError('duplicate', `Conditional delete: more than one ${type} matches the criteria`, {
      status: 412,
    });
  }
  if (matches.length === 0) return { deleted: false };
  return deleteResource(ctx, tx, type, (matches[0] as StoredVersion).id);
}
