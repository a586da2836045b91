// The FHIR API as the web app uses it: every call carries the user's own token, so the app sees only
// what the server's access rules give this user. Errors arrive as OperationOutcomes and are turned
// into sentences a person can read.
import type { Bundle, BundleEntry, Parameters, Resource } from '@medplum/fhirtypes';
import { messageOf } from './auth-client.js';
import { currentToken } from './token-store.js';

export class FhirError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }

  /** The record exists but is not this user's to see (or is not there at all). */
  get refused(): boolean {
    return this.status === 403 || this.status === 404;
  }
}

/** Called when the session has ended (the server refused every token): the app shows sign-in. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

async function request(path: string, init: RequestInit = {}, retried = false): Promise<Response> {
  const token = await currentToken(retried);
  if (!token) {
    onSignedOut();
    throw new FhirError(401, 'Your session has ended. Sign in again.');
  }
  const res = await fetch(path ? `/fhir/${path}` : '/fhir', {
    ...init,
    headers: { accept: 'application/fhir+json', ...init.headers, authorization: `Bearer ${token}` },
  });
  if (res.status === 401 && !retried) return request(path, init, true);
  if (res.status === 401) onSignedOut();
  if (!res.ok) throw new FhirError(res.status, await messageOf(res));
  return res;
}

/** Search parameters; an array repeats the parameter (`_include` twice). */
export type SearchParams = Record<string, string | number | readonly string[] | undefined>;

export function searchPath(type: string, params: SearchParams = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const value of Array.isArray(v) ? v : [v]) if (value !== undefined && value !== '') q.append(k, String(value));
  }
  const query = q.toString();
  return query ? `${type}?${query}` : type;
}

export async function readResource<T extends Resource>(type: T['resourceType'], id: string): Promise<T> {
  return (await (await request(`${type}/${encodeURIComponent(id)}`)).json()) as T;
}

export async function searchResources(type: string, params: SearchParams = {}): Promise<Bundle> {
  return (await (await request(searchPath(type, params))).json()) as Bundle;
}

/** Rows asked for per page when a screen needs every match (the server's largest page). */
const EVERY_PAGE = 1000;

/**
 * Every match of a search, page after page (the `next` links), in one Bundle: for a list a screen
 * must show whole (a patient's problems, the transitions board). No silent cap: a patient with 150
 * problems shows 150.
 */
export async function searchEvery(type: string, params: SearchParams = {}): Promise<Bundle> {
  const first = await searchResources(type, { _count: EVERY_PAGE, ...params });
  const entry = [...(first.entry ?? [])];
  let page = first;
  for (let next = linkOf(page, 'next'); next; next = linkOf(page, 'next')) {
    page = await followLink(next);
    entry.push(...(page.entry ?? []));
  }
  return { ...first, entry };
}

/** Follows a Bundle paging link (same server), e.g. the `next` link of a searchset. */
export async function followLink(url: string): Promise<Bundle> {
  const at = url.indexOf('/fhir/');
  return (await (await request(at >= 0 ? url.slice(at + '/fhir/'.length) : url)).json()) as Bundle;
}

/** Updates a resource if nobody changed it since it was read (If-Match on its version). */
export async function updateResource<T extends Resource & { id?: string }>(resource: T): Promise<T> {
  const version = resource.meta?.versionId;
  const res = await request(`${resource.resourceType}/${encodeURIComponent(resource.id ?? '')}`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/fhir+json',
      prefer: 'return=representation',
      ...(version ? { 'if-match': `W/"${version}"` } : {}),
    },
    body: JSON.stringify(resource),
  });
  return (await res.json()) as T;
}

/** The resources of a searchset, by type; included resources are found by reference. */
export function entriesOf<T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}

export function linkOf(bundle: Bundle, relation: 'next' | 'previous' | 'self'): string | undefined {
  return bundle.link?.find((l) => l.relation === relation)?.url;
}

/** GET of any FHIR path (an operation such as `Patient/x/$needs`). */
export async function getFhir<T>(path: string): Promise<T> {
  return (await (await request(path)).json()) as T;
}

export async function createResource<T extends Resource>(resource: T): Promise<T> {
  const res = await request(resource.resourceType, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json', prefer: 'return=representation' },
    body: JSON.stringify(resource),
  });
  return (await res.json()) as T;
}

/** POST to an operation with no body (e.g. `Communication/x/$mark-read`). */
export async function postFhir<T>(path: string): Promise<T> {
  return (await (await request(path, { method: 'POST' })).json()) as T;
}

/** A transaction Bundle: every entry or none (FHIR R4 §3.1.0.11.2). */
export async function submitTransaction(entries: BundleEntry[]): Promise<Bundle> {
  const res = await request('', {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: entries }),
  });
  return (await res.json()) as Bundle;
}

/** POST a Parameters resource to an operation (e.g. `CareTeam/x/$add-member`). */
export async function invokeOperation<T>(path: string, parameters: Parameters): Promise<T> {
  const res = await request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify(parameters),
  });
  return (await res.json()) as T;
}
