// Building searchset and history Bundles. Entries are stored as JSON text; the Bundle is assembled
// as text around them, so a page of results is never parsed and re-serialized just to be sent.

import type { Resource } from '@medplum/fhirtypes';
import { encodeCursor } from '../search/parse-search-request.js';
import type { SearchRequest } from '../search/search-request.js';
import { shapeResource } from '../search/shape-resource.js';

export interface BundleEntryText {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: number;
  readonly lastUpdated: number;
  readonly json: string | undefined;
}

export interface SearchsetInput {
  readonly baseUrl: string;
  /** Path of the search relative to the base, e.g. `Observation` or `Patient/1/$everything`. */
  readonly path: string;
  readonly applied: readonly [string, string][];
  readonly request: SearchRequest;
  readonly matches: readonly BundleEntryText[];
  readonly included: readonly BundleEntryText[];
  readonly total: number | undefined;
  readonly hasMore: boolean;
  readonly snapshot: number;
  /** OperationOutcome JSON text (warnings) to add as an outcome entry, if any. */
  readonly outcome?: string;
}

function queryString(params: readonly [string, string][]): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

function entryJson(e: BundleEntryText, request: SearchRequest): string {
  if (!e.json) return 'null';
  if (request.summary && request.summary !== 'false') {
    return JSON.stringify(shapeResource(JSON.parse(e.json) as Resource, request.summary, undefined));
  }
  if (request.elements)
    return JSON.stringify(shapeResource(JSON.parse(e.json) as Resource, undefined, request.elements));
  return e.json;
}

export function buildSearchset(input: SearchsetInput): string {
  const { baseUrl, request } = input;
  const kept = input.applied.filter(([k]) => k !== '_cursor' && k !== '_offset' && k !== '_count');
  const link = (relation: string, offset: number, withCursor: boolean): string => {
    const params: [string, string][] = [...kept, ['_count', String(request.count)]];
    if (withCursor) params.push(['_cursor', encodeCursor({ offset, snapshot: input.snapshot })]);
    return JSON.stringify({ relation, url: `${baseUrl}/${input.path}?${queryString(params)}` });
  };
  const links = [link('self', request.offset, request.offset > 0)];
  if (request.count > 0 && input.hasMore) links.push(link('next', request.offset + request.count, true));
  if (request.count > 0 && request.offset > 0) {
    links.push(link('previous', Math.max(0, request.offset - request.count), true));
  }
  const entries: string[] = [];
  const add = (e: BundleEntryText, mode: 'match' | 'include'): void => {
    entries.push(
      `{"fullUrl":${JSON.stringify(`${baseUrl}/${e.resourceType}/${e.id}`)},"resource":${entryJson(e, request)},"search":{"mode":"${mode}"}}`,
    );
  };
  for (const e of input.matches) add(e, 'match');
  for (const e of input.included) add(e, 'include');
  if (input.outcome) entries.push(`{"resource":${input.outcome},"search":{"mode":"outcome"}}`);
  const total = input.total !== undefined ? `,"total":${input.total}` : '';
  return `{"resourceType":"Bundle","id":${JSON.stringify(crypto.randomUUID())},"meta":{"lastUpdated":${JSON.stringify(new Date().toISOString())}},"type":"searchset"${total},"link":[${links.join(',')}],"entry":[${entries.join(',')}]}`;
}

export interface HistoryInput {
  readonly baseUrl: string;
  readonly path: string;
  readonly versions: readonly (BundleEntryText & { deleted: boolean })[];
  readonly total: number;
  readonly count: number;
  readonly offset: number;
  readonly params: readonly [string, string][];
}

export function buildHistoryBundle(input: HistoryInput): string {
  const kept = input.params.filter(([k]) => k !== '_offset' && k !== '_count');
  const link = (relation: string, offset: number): string =>
    JSON.stringify({
      relation,
      url: `${input.baseUrl}/${input.path}?${queryString([...kept, ['_count', String(input.count)], ['_offset', String(offset)]])}`,
    });
  const links = [link('self', input.offset)];
  if (input.offset + input.count < input.total) links.push(link('next', input.offset + input.count));
  if (input.offset > 0) links.push(link('previous', Math.max(0, input.offset - input.count)));
  const entries = input.versions.map((v) => {
    const url = `${input.baseUrl}/${v.resourceType}/${v.id}`;
    const when = JSON.stringify(new Date(v.lastUpdated).toISOString());
    if (v.deleted || !v.json) {
      return `{"fullUrl":${JSON.stringify(url)},"request":{"method":"DELETE","url":${JSON.stringify(`${v.resourceType}/${v.id}`)}},"response":{"status":"204 No Content","etag":"W/\\"${v.versionId}\\"","lastModified":${when}}}`;
    }
    const method = v.versionId === 1 ? 'POST' : 'PUT';
    const reqUrl = v.versionId === 1 ? v.resourceType : `${v.resourceType}/${v.id}`;
    const status = v.versionId === 1 ? '201 Created' : '200 OK';
    return `{"fullUrl":${JSON.stringify(url)},"resource":${v.json},"request":{"method":"${method}","url":${JSON.stringify(reqUrl)}},"response":{"status":"${status}","etag":"W/\\"${v.versionId}\\"","lastModified":${when}}}`;
  });
  return `{"resourceType":"Bundle","id":${JSON.stringify(crypto.randomUUID())},"type":"history","total":${input.total},"link":[${links.join(',')}],"entry":[${entries.join(',')}]}`;
}
