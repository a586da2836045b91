// Every match of a search, read with the requester's own view of the repository (what an operation
// route needs when it ranks or measures in the care layer).
import { SEARCH_LIMITS } from '../../fhir/search/parse-search-request.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';

export async function readAll<T>(
  fhir: FhirRepository,
  type: string,
  query: [string, string][],
  count = 1000,
): Promise<T[]> {
  const { page } = await fhir.search(type, [...query, ['_count', String(count)]]);
  return page.matches.filter((m) => m.json).map((m) => JSON.parse(m.json as string) as T);
}

/** The resources of these ids the requester may see, asked for in groups a search accepts. */
export async function readByIds<T>(fhir: FhirRepository, type: string, ids: readonly string[]): Promise<T[]> {
  const unique = [...new Set(ids.filter(Boolean))];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += SEARCH_LIMITS.orValues) {
    out.push(...(await readAll<T>(fhir, type, [['_id', unique.slice(i, i + SEARCH_LIMITS.orValues).join(',')]])));
  }
  return out;
}
