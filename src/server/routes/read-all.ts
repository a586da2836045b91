// Every match of a search, read with the requester's own view of the repository (what an operation
// route needs when it ranks or measures in the care layer).
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
