// The FHIR interactions over a Store: what the HTTP routes, the CLI and the domain call. Writes run
// in a store transaction; reads go to the read connection.
import type { Bundle } from '@medplum/fhirtypes';
import { buildSearchset } from '../../fhir/bundle/searchset.js';
import { getTypeModel } from '../../fhir/definitions/r4-definitions.js';
import { badRequest, OutcomeError } from '../../fhir/outcome.js';
import { type ParsedSearch, parseSearchRequest } from '../../fhir/search/parse-search-request.js';
import type { SearchRequest } from '../../fhir/search/search-request.js';
import type { HistoryPage, SearchPage, Store, StoredVersion, StoreReader } from '../store.js';
import { type BundleReader, processBatch, processTransaction } from './process-bundle.js';
import { parseETag, type RepositoryOptions, toContext } from './repository-context.js';
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
  history(query: {
    type?: string;
    id?: string;
    params: readonly [string, string][];
  }): Promise<HistoryPage & { count: number; offset: number }>;
  everything(patientId: string, params: readonly [string, string][]): Promise<SearchResult>;
  processBundle(bundle: Bundle, baseUrl: string): Promise<Bundle>;
}

const isResourceType = (t: string): boolean => getTypeModel().isResourceType(t);

function parseInstant(name: string, value: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw badRequest(`${name} must be an instant, not '${value}'`);
  return t;
}

export function createFhirRepository(store: Store, options: RepositoryOptions = {}): FhirRepository {
  const ctx = toContext(options);
  /** A write transaction, run again (at most three times) when a concurrent writer got there first. */
  const tx = async <T>(fn: Parameters<Store['transaction']>[0]): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await store.transaction(fn)) as T;
      } catch (err) {
        if (!(err instanceof ConcurrentWriteError) || attempt >= 3) throw err;
      }
    }
  };

  async function readFrom(reader: StoreReader, type: string, id: string): Promise<StoredVersion> {
    assertResourceType(type);
    assertId(id);
    const v = await reader.readCurrent(type, id);
    if (!v) throw new OutcomeError('not-found', `${type}/${id} not found`);
    if (v.deleted) {
      throw new OutcomeError('deleted', `${type}/${id} was deleted`, {
        headers: { ETag: `W/"${v.versionId}"`, 'Last-Modified': new Date(v.lastUpdated).toUTCString() },
      });
    }
    return v;
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
    if (patientCompartment === undefined) return { parsed, page: await reader.search(parsed.request) };
    assertId(patientCompartment);
    const request = {
      ...parsed.request,
      filters: [...parsed.request.filters, { kind: 'compartment' as const, patientIds: [patientCompartment] }],
    };
    return { parsed: { ...parsed, request }, page: await reader.search(request) };
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
        const v = await reader.readVersion(type, parts[1] ?? '', Number(parts[3]));
        if (!v?.json) throw new OutcomeError('not-found', `${path} not found`);
        return { status: '200 OK', resource: JSON.parse(v.json) };
      }
      throw badRequest(`Unsupported GET in bundle: ${url}`);
    },
  });

  return {
    store,
    create: (body, opts = {}) => {
      if (typeof body === 'object' && body !== null && 'resourceType' in body) {
        assertResourceType(String((body as { resourceType: unknown }).resourceType));
      }
      return tx((t) =>
        createResource(ctx, t, body, opts.ifNoneExist !== undefined ? { ifNoneExist: opts.ifNoneExist } : {}),
      );
    },
    read: (type, id) => readFrom(store, type, id),
    vread: async (type, id, versionId) => {
      assertResourceType(type);
      assertId(id);
      if (!/^\d+$/.test(versionId)) throw new OutcomeError('not-found', `Version '${versionId}' not found`);
      const v = await store.readVersion(type, id, Number(versionId));
      if (!v) throw new OutcomeError('not-found', `${type}/${id}/_history/${versionId} not found`);
      if (v.deleted) throw new OutcomeError('deleted', `${type}/${id} version ${versionId} is a deletion`);
      return v;
    },
    update: (type, id, body, opts = {}) => tx((t) => updateResource(ctx, t, type, id, body, parseETag(opts.ifMatch))),
    conditionalUpdate: (type, query, body) => tx((t) => conditionalUpdate(ctx, t, type, query, body)),
    patch: (type, id, patch, opts = {}) => tx((t) => patchResource(ctx, t, type, id, patch, parseETag(opts.ifMatch))),
    delete: (type, id) => tx((t) => deleteResource(ctx, t, type, id)),
    conditionalDelete: (type, query) => tx((t) => conditionalDelete(ctx, t, type, query)),
    search: (type, query, opts = {}) => searchOn(store, type, query, opts.lenient === true, opts.patientCompartment),
    searchRequest: (request) => store.search(request),
    history: async ({ type, id, params }) => {
      if (type) assertResourceType(type);
      if (id) assertId(id);
      let count = 20;
      let offset = 0;
      let since: number | undefined;
      let at: number | undefined;
      for (const [k, v] of params) {
        if (k === '_count') count = Math.min(Number.parseInt(v, 10) || 0, 1000);
        else if (k === '_offset') offset = Math.max(0, Number.parseInt(v, 10) || 0);
        else if (k === '_since') since = parseInstant('_since', v);
        else if (k === '_at') at = parseInstant('_at', v);
        else if (k !== '_format' && k !== '_pretty') throw badRequest(`Unknown history parameter '${k}'`, k);
      }
      const page = await store.history({
        ...(type ? { resourceType: type } : {}),
        ...(id ? { id } : {}),
        ...(since !== undefined ? { since } : {}),
        ...(at !== undefined ? { at } : {}),
        count,
        offset,
      });
      if (id && type && page.total === 0) throw new OutcomeError('not-found', `${type}/${id} not found`);
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
        if (k === '_count') count = Math.min(Math.max(Number.parseInt(v, 10) || 0, 1), 1000);
        else if (k === '_offset') offset = Math.max(0, Number.parseInt(v, 10) || 0);
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
      const page = await store.search(request);
      return { parsed: { request, applied, ignored: [] }, page };
    },
    processBundle: async (bundle, baseUrl) => {
      if (bundle.resourceType !== 'Bundle') throw badRequest('Expected a Bundle');
      if (bundle.type === 'transaction') return processTransaction(ctx, tx, bundle, bundleReader(baseUrl));
      if (bundle.type === 'batch') return processBatch(ctx, tx, bundle, bundleReader(baseUrl));
      throw badRequest(
        `Only batch and transaction Bundles can be posted to the base, not '${bundle.type}'`,
        'Bundle.type',
      );
    },
  };
}
