// The FHIR interactions over a Store: what the HTTP routes, the CLI and the domain call. Writes run
// in a store transaction; reads go to the read connection.
import type { Bundle } from '@medplum/fhirtypes';
import { buildSearchset } from '../../fhir/bundle/searchset.js';
import { getTypeModel } from '../../fhir/definitions/r4-definitions.js';
import { badRequest, OutcomeError } from '../../fhir/outcome.js';
import { type ParsedSearch, parsePaging, parseSearchRequest } from '../../fhir/search/parse-search-request.js';
import { isUnrestricted, type SearchRequest } from '../../fhir/search/search-request.js';
import type { HistoryPage, SearchPage, Store, StoredVersion, StoreReader, StoreWriter } from '../store.js';
import { type BundleReader, processBatch, processTransaction } from './process-bundle.js';
import {
  type AccessGuard,
  parseETag,
  type RepositoryContext,
  type RepositoryOptions,
  type Transact,
  toContext,
  type WriteEvent,
} from './repository-context.js';
import {
  assertId,
  assertResourceType,
  ConcurrentWriteError,
  conditionalDelete,
  conditionalUpdate,
  createResource,
  type DeleteResult,
  deleteResource,
  type PatchBody,
  patchResource,
  updateResource,
  type WriteResult,
} from './write-operations.js';

export interface SearchResult {
  readonly parsed: ParsedSearch;
  readonly page: SearchPage;
}

export interface FhirRepository {
  readonly store: Store;
  /** The same interactions as seen by one requester: everything filtered and checked by `guard`. */
  withAccess(guard: AccessGuard): FhirRepository;
  create(body: unknown, options?: { ifNoneExist?: string }): Promise<WriteResult>;
  read(type: string, id: string): Promise<StoredVersion>;
  vread(type: string, id: string, versionId: string): Promise<StoredVersion>;
  update(type: string, id: string, body: unknown, options?: { ifMatch?: string }): Promise<WriteResult>;
  conditionalUpdate(type: string, query: readonly [string, string][], body: unknown): Promise<WriteResult>;
  patch(type: string, id: string, patch: PatchBody, options?: { ifMatch?: string }): Promise<WriteResult>;
  delete(type: string, id: string): Promise<DeleteResult>;
  conditionalDelete(type: string, query: readonly [string, string][]): Promise<DeleteResult>;
  /** A search; with `patientCompartment`, restricted to that patient's compartment (Patient/{id}/{type}). */
  search(
    type: string,
    query: readonly [string, string][],
    options?: { lenient?: boolean; patientCompartment?: string },
  ): Promise<SearchResult>;
  searchRequest(request: SearchRequest): Promise<SearchPage>;
  /** History of one resource (`id`), of several of one type (`ids`, for code), of a type, or of all. */
  history(query: {
    type?: string;
    id?: string;
    ids?: readonly string[];
    params: readonly [string, string][];
  }): Promise<HistoryPage & { count: number; offset: number }>;
  everything(patientId: string, params: readonly [string, string][]): Promise<SearchResult>;
  /**
   * A batch or transaction Bundle. `within` (transactions only) runs in the transaction after its
   * entries and hooks: what it writes commits with them or not at all (a feed message with what it
   * applied); what it throws rolls everything back.
   */
  processBundle(
    bundle: Bundle,
    baseUrl: string,
    options?: { readonly within?: (tx: StoreWriter) => Promise<void> },
  ): Promise<Bundle>;
}

const isResourceType = (t: string): boolean => getTypeModel().isResourceType(t);

function parseInstant(name: string, value: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw badRequest(`${name} must be an instant, not '${value}'`);
  return t;
}

export function createFhirRepository(store: Store, options: RepositoryOptions = {}): FhirRepository {
  return repositoryView(store, options, toContext(options), undefined);
}

function repositoryView(
  store: Store,
  options: RepositoryOptions,
  base: RepositoryContext,
  guard: AccessGuard | undefined,
): FhirRepository {
  const ctx: RepositoryContext = guard ? { ...base, guard } : base;
  /** The guard's read filter, unless it lets everything through (then reads need no check). */
  const filter = guard && !isUnrestricted(guard.filter) ? guard.filter : undefined;
  /**
   * A write transaction with its own record of what it wrote, run again (at most three times) when a
   * concurrent writer got there first.
   */
  const tx: Transact = async (fn) => {
    for (let attempt = 1; ; attempt++) {
      const written: WriteEvent[] = [];
      try {
        const result = await store.transaction(async (t) => {
          written.length = 0;
          const value = await fn(t, { ...ctx, written });
          if (guard && written.length > 0) await guard.beforeCommit(written, t);
          return value;
        });
        if (written.length > 0) options.onCommit?.(written);
        return result;
      } catch (err) {
        if (!(err instanceof ConcurrentWriteError) || attempt >= 3) throw err;
      }
    }
  };
  const disclose = (versions: readonly StoredVersion[]): void => guard?.disclose(versions);
  const access = filter ? { access: filter } : {};

  /** The current version, or a 404 when it does not exist or the requester may not see it. */
  async function readFrom(reader: StoreReader, type: string, id: string): Promise<StoredVersion> {
    assertResourceType(type);
    assertId(id);
    guard?.assertInteraction(type, 'r');
    const v = await reader.readCurrent(type, id);
    if (!v || (filter && !(await reader.visible(type, id, filter)))) {
      throw new OutcomeError('not-found', `${type}/${id} not found`);
    }
    if (v.deleted) {
      throw new OutcomeError('deleted', `${type}/${id} was deleted`, {
        headers: { ETag: `W/"${v.versionId}"`, 'Last-Modified': new Date(v.lastUpdated).toUTCString() },
      });
    }
    disclose([v]);
    return v;
  }

  async function searchWith(reader: StoreReader, request: SearchRequest): Promise<SearchPage> {
    if (guard) {
      for (const type of request.resourceType ? [request.resourceType] : (request.types ?? [])) {
        guard.assertInteraction(type, 's');
      }
    }
    const page = await reader.search({ ...request, ...access });
    disclose(page.matches);
    disclose(page.included);
    return page;
  }

  async function searchOn(
    reader: StoreReader,
    type: string,
    query: readonly [string, string][],
    lenient: boolean,
    patientCompartment?: string,
  ): Promise<SearchResult> {
    assertResourceType(type);
    const parsed = parseSearchRequest(type, query, { lenient, isResourceType });
    if (patientCompartment === undefined) return { parsed, page: await searchWith(reader, parsed.request) };
    assertId(patientCompartment);
    const request = {
      ...parsed.request,
      filters: [...parsed.request.filters, { kind: 'compartment' as const, patientIds: [patientCompartment] }],
    };
    return { parsed: { ...parsed, request }, page: await searchWith(reader, request) };
  }

  async function vreadFrom(reader: StoreReader, type: string, id: string, versionId: string): Promise<StoredVersion> {
    assertResourceType(type);
    assertId(id);
    guard?.assertInteraction(type, 'r');
    const missing = (): OutcomeError => new OutcomeError('not-found', `${type}/${id}/_history/${versionId} not found`);
    // Versions are 32-bit counters: a larger number names no version (and must not reach the database).
    if (!/^\d{1,10}$/.test(versionId) || Number(versionId) > 2_147_483_647) throw missing();
    // Whether one may see a resource's past is decided by where it is now (a move out of one's
    // patients' compartments takes its history along).
    if (filter && !(await reader.visible(type, id, filter))) throw missing();
    const v = await reader.readVersion(type, id, Number(versionId));
    if (!v) throw missing();
    if (v.deleted) throw new OutcomeError('deleted', `${type}/${id} version ${versionId} is a deletion`);
    disclose([v]);
    return v;
  }

  /** GET entries inside bundles answer like the REST reads do. */
  const bundleReader = (baseUrl: string): BundleReader => ({
    get: async (reader, url) => {
      const [path = '', queryString] = url.replace(/^\//, '').split('?', 2);
      const parts = path.split('/');
      const [type = ''] = parts;
      if (parts.length === 1) {
        const result = await searchOn(reader, type, [...new URLSearchParams(queryString ?? '')], false);
        const text = buildSearchset({
          baseUrl,
          path: type,
          applied: result.parsed.applied,
          request: result.parsed.request,
          ...result.page,
          matches: result.page.matches,
          included: result.page.included,
        });
        return { status: '200 OK', resource: JSON.parse(text) };
      }
      if (parts.length === 2) {
        const v = await readFrom(reader, type, parts[1] ?? '');
        return { status: '200 OK', resource: JSON.parse(v.json as string) };
      }
      if (parts.length === 4 && parts[2] === '_history') {
        const v = await vreadFrom(reader, type, parts[1] ?? '', parts[3] ?? '');
        return { status: '200 OK', resource: JSON.parse(v.json as string) };
      }
      throw badRequest(`Unsupported GET in bundle: ${url}`);
    },
  });

  return {
    store,
    withAccess: (g) => repositoryView(store, options, base, g),
    create: (body, opts = {}) => {
      if (typeof body === 'object' && body !== null && 'resourceType' in body) {
        assertResourceType(String((body as { resourceType: unknown }).resourceType));
      }
      return tx((t, c) =>
        createResource(c, t, body, opts.ifNoneExist !== undefined ? { ifNoneExist: opts.ifNoneExist } : {}),
      );
    },
    read: (type, id) => readFrom(store, type, id),
    vread: (type, id, versionId) => vreadFrom(store, type, id, versionId),
    update: (type, id, body, opts = {}) => tx((t, c) => updateResource(c, t, type, id, body, parseETag(opts.ifMatch))),
    conditionalUpdate: (type, query, body) => tx((t, c) => conditionalUpdate(c, t, type, query, body)),
    patch: (type, id, patch, opts = {}) => tx((t, c) => patchResource(c, t, type, id, patch, parseETag(opts.ifMatch))),
    delete: (type, id) => tx((t, c) => deleteResource(c, t, type, id)),
    conditionalDelete: (type, query) => tx((t, c) => conditionalDelete(c, t, type, query)),
    search: (type, query, opts = {}) => searchOn(store, type, query, opts.lenient === true, opts.patientCompartment),
    searchRequest: (request) => searchWith(store, request),
    history: async ({ type, id, ids, params }) => {
      if (type) assertResourceType(type);
      if (id) assertId(id);
      if (ids && !type) throw badRequest('A history of several resources needs their type');
      for (const each of ids ?? []) assertId(each);
      let count = 20;
      let offset = 0;
      let since: number | undefined;
      let at: number | undefined;
      for (const [k, v] of params) {
        if (k === '_count') count = parsePaging('_count', v);
        else if (k === '_offset') offset = parsePaging('_offset', v);
        else if (k === '_since') since = parseInstant('_since', v);
        else if (k === '_at') at = parseInstant('_at', v);
        else if (k !== '_format' && k !== '_pretty') throw badRequest(`Unknown history parameter '${k}'`, k);
      }
      if (type) guard?.assertInteraction(type, id ? 'r' : 's');
      if (id && type && filter && !(await store.visible(type, id, filter))) {
        throw new OutcomeError('not-found', `${type}/${id} not found`);
      }
      const page = await store.history({
        ...access,
        ...(type ? { resourceType: type } : {}),
        ...(id ? { id } : {}),
        ...(ids ? { ids } : {}),
        ...(since !== undefined ? { since } : {}),
        ...(at !== undefined ? { at } : {}),
        count,
        offset,
      });
      if (id && type && page.total === 0) throw new OutcomeError('not-found', `${type}/${id} not found`);
      disclose(page.versions);
      return { ...page, count, offset };
    },
    everything: async (patientId, params) => {
      await readFrom(store, 'Patient', patientId);
      // Patient/$everything (R4 §Patient-everything): the compartment plus what it references;
      // _since, _type and _count are honoured.
      let count = 1000;
      let offset = 0;
      let since: number | undefined;
      let types: string[] | undefined;
      let snapshot: number | undefined;
      const applied: [string, string][] = [];
      for (const [k, v] of params) {
        if (k === '_count') count = Math.max(parsePaging('_count', v), 1);
        else if (k === '_offset') offset = parsePaging('_offset', v);
        else if (k === '_since') since = parseInstant('_since', v);
        else if (k === '_type') {
          types = v.split(',').filter(Boolean);
          for (const t of types) assertResourceType(t);
        } else if (k === '_cursor') {
          const parsed = parseSearchRequest('Patient', [['_cursor', v]]);
          offset = parsed.request.offset;
          snapshot = parsed.request.snapshot;
        } else throw badRequest(`Unknown $everything parameter '${k}'`, k);
        if (k !== '_cursor' && k !== '_offset' && k !== '_count') applied.push([k, v]);
      }
      const request: SearchRequest = {
        resourceType: '',
        ...(types ? { types } : {}),
        filters: [
          { kind: 'compartment', patientIds: [patientId] },
          ...(since !== undefined
            ? [
                {
                  kind: 'lastUpdated' as const,
                  values: [{ kind: 'range' as const, prefix: 'ge' as const, low: since, high: since }],
                },
              ]
            : []),
        ],
        sort: [],
        count,
        offset,
        snapshot,
        total: 'accurate',
        summary: undefined,
        elements: undefined,
        include: [{ sourceType: '*', param: undefined, targetType: undefined, iterate: false }],
        revinclude: [],
      };
      const page = await store.search({ ...request, ...access });
      disclose(page.matches);
      disclose(page.included);
      return { parsed: { request, applied, ignored: [] }, page };
    },
    processBundle: async (bundle, baseUrl, opts = {}) => {
      if (bundle.resourceType !== 'Bundle') throw badRequest('Expected a Bundle');
      if (bundle.type === 'transaction') return processTransaction(tx, bundle, bundleReader(baseUrl), opts.within);
      if (bundle.type === 'batch') return processBatch(tx, bundle, bundleReader(baseUrl));
      throw badRequest(
        `Only batch and transaction Bundles can be posted to the base, not '${bundle.type}'`,
        'Bundle.type',
      );
    },
  };
}
