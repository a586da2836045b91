// Every match of a search, however many: read page after page at one snapshot (the row-id bound the
// first page fixes, so rows written meanwhile neither appear nor shift the pages), until the store
// says no more follow. The one way code that measures, ranks or sweeps reads a search: no hidden cap
// such as `_count=1000` that silently drops the rest. Includes are not followed (ask for them on a
// page search). No SQL here: the store runs each page.
import { parseSearchRequest, SEARCH_LIMITS } from '../fhir/search/parse-search-request.js';
import { MAX_COUNT, type SearchRequest } from '../fhir/search/search-request.js';
import type { SearchPage, StoredVersion, StoreReader } from './store.js';

/** Rows read per page: the largest page a search serves (few round trips for a panel). */
export const EVERY_PAGE_SIZE = MAX_COUNT;

/** Something that runs a parsed search (a store, a transaction, or a repository under one user's access). */
export type SearchRunner = (request: SearchRequest) => Promise<SearchPage>;

/** A repository (its `searchRequest`, under its requester's access) or a store reader (its `search`). */
export type SearchSource = SearchRunner | { searchRequest: SearchRunner } | Pick<StoreReader, 'search'>;

function runnerOf(source: SearchSource): SearchRunner {
  if (typeof source === 'function') return source;
  if ('searchRequest' in source) return (request) => source.searchRequest(request);
  return (request) => source.search(request);
}

export async function readEveryPage(source: SearchSource, request: SearchRequest): Promise<StoredVersion[]> {
  const run = runnerOf(source);
  const out: StoredVersion[] = [];
  let snapshot = request.snapshot;
  for (let offset = 0; ; offset += EVERY_PAGE_SIZE) {
    const page = await run({
      ...request,
      count: EVERY_PAGE_SIZE,
      offset,
      snapshot,
      include: [],
      revinclude: [],
      total: 'none',
    });
    out.push(...page.matches);
    snapshot ??= page.snapshot;
    if (!page.hasMore || page.matches.length === 0) return out;
  }
}

/** The resources of every match, parsed. */
export async function searchEvery<T>(
  source: SearchSource,
  type: string,
  query: readonly [string, string][],
): Promise<T[]> {
  const { request } = parseSearchRequest(
    type,
    query.filter(([k]) => k !== '_count'),
  );
  return (await readEveryPage(source, request))
    .filter((m) => m.json !== undefined)
    .map((m) => JSON.parse(m.json as string) as T);
}

/** Whether a search has any match: one row is read, not the matches. */
export async function anyMatch(
  source: SearchSource,
  type: string,
  query: readonly [string, string][],
): Promise<boolean> {
  const { request } = parseSearchRequest(
    type,
    query.filter(([k]) => k !== '_count'),
  );
  const page = await runnerOf(source)({ ...request, count: 1, offset: 0, include: [], revinclude: [], total: 'none' });
  return page.matches.length > 0;
}

/** The resources of these ids a reader may see, asked for in groups a search accepts. */
export async function readByIds<T>(source: SearchSource, type: string, ids: readonly string[]): Promise<T[]> {
  const unique = [...new Set(ids.filter(Boolean))];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += SEARCH_LIMITS.orValues)
    out.push(...(await searchEvery<T>(source, type, [['_id', unique.slice(i, i + SEARCH_LIMITS.orValues).join(',')]])));
  return out;
}

/** Something that reads a history page (a repository under its requester's access). */
export interface HistorySource {
  history(query: {
    type?: string;
    id?: string;
    ids?: readonly string[];
    params: readonly [string, string][];
  }): Promise<{ readonly versions: readonly StoredVersion[] }>;
}

async function historyPages(
  source: HistorySource,
  query: { type: string; id?: string; ids?: readonly string[] },
): Promise<StoredVersion[]> {
  const out: StoredVersion[] = [];
  for (let offset = 0; ; offset += EVERY_PAGE_SIZE) {
    const page = await source.history({
      ...query,
      params: [
        ['_count', String(EVERY_PAGE_SIZE)],
        ['_offset', String(offset)],
      ],
    });
    out.push(...page.versions);
    if (page.versions.length < EVERY_PAGE_SIZE) return out;
  }
}

/** Every version of one resource, newest first, page after page (no cap). */
export function historyEvery(source: HistorySource, type: string, id: string): Promise<StoredVersion[]> {
  return historyPages(source, { type, id });
}

/**
 * Every version of each of these resources, newest first, by id: the histories of a set read a
 * group of ids per query (not one query per resource). Ids the reader may not see have no entry.
 */
export async function historyOfEach(
  source: HistorySource,
  type: string,
  ids: readonly string[],
): Promise<Map<string, StoredVersion[]>> {
  const unique = [...new Set(ids.filter(Boolean))];
  const byId = new Map<string, StoredVersion[]>();
  for (let i = 0; i < unique.length; i += SEARCH_LIMITS.orValues) {
    for (const version of await historyPages(source, { type, ids: unique.slice(i, i + SEARCH_LIMITS.orValues) })) {
      const versions = byId.get(version.id) ?? [];
      versions.push(version);
      byId.set(version.id, versions);
    }
  }
  return byId;
}

/** A reader the care services take (src/care/care-reader.ts) over a repository's reads and searches. */
export function careReaderOf(repo: {
  read(type: string, id: string): Promise<StoredVersion>;
  vread(type: string, id: string, versionId: string): Promise<StoredVersion>;
  searchRequest: SearchRunner;
}) {
  const parse = <T>(v: StoredVersion): T => JSON.parse(v.json as string) as T;
  return {
    read: async <T>(type: string, id: string): Promise<T> => parse<T>(await repo.read(type, id)),
    vread: async <T>(type: string, id: string, versionId: string): Promise<T> =>
      parse<T>(await repo.vread(type, id, versionId)),
    tryRead: <T>(type: string, id: string): Promise<T | undefined> =>
      repo.read(type, id).then(
        (v) => parse<T>(v),
        () => undefined,
      ),
    searchEvery: <T>(type: string, query: readonly [string, string][]): Promise<T[]> =>
      searchEvery<T>(repo, type, query),
    readByIds: <T>(type: string, ids: readonly string[]): Promise<T[]> => readByIds<T>(repo, type, ids),
  };
}
