// The resources a search finds, read through the Store interface a domain hook or job is given (the
// writing transaction's, so it sees that transaction's own writes). No SQL here: the store runs it.
import { parseSearchRequest } from '../fhir/search/parse-search-request.js';
import type { StoreReader } from '../store/store.js';

export async function searchAll<T>(
  tx: StoreReader,
  type: string,
  params: [string, string][],
  count: number,
): Promise<T[]> {
  const { request } = parseSearchRequest(type, [...params, ['_count', String(count)]]);
  const page = await tx.search(request);
  return page.matches.filter((m) => m.json).map((m) => JSON.parse(m.json as string) as T);
}
