// What the care services read with: a small interface, so that they hold no SQL and no HTTP and can
// be called by a route (under the requester's access), a job or the CLI alike. The server and the
// jobs adapt their repository to it (src/store/read-every-page.ts does the paging).
import type { Resource } from '@medplum/fhirtypes';

/** Searching, which is all some rules need (a hook's reader and a route's reader both can). */
export interface CareSearch {
  /** Every match of a search, however many. */
  searchEvery<T>(type: string, query: readonly [string, string][]): Promise<T[]>;
}

export interface CareReader {
  /** The resource; throws a not-found OperationOutcome when it is absent or not visible. */
  read<T extends Resource>(type: string, id: string): Promise<T>;
  /** One version of a resource (what a record compared then, whatever changed since). */
  vread<T extends Resource>(type: string, id: string, versionId: string): Promise<T>;
  /** The resource, or undefined when it is absent or not visible. */
  tryRead<T extends Resource>(type: string, id: string): Promise<T | undefined>;
  /** Every match of a search, however many. */
  searchEvery<T extends Resource>(type: string, query: readonly [string, string][]): Promise<T[]>;
  /** The resources of these ids that are visible. */
  readByIds<T extends Resource>(type: string, ids: readonly string[]): Promise<T[]>;
}
