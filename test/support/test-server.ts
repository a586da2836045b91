// Starts the real server on a random port over a fresh database, for API tests that speak HTTP.
import { join } from 'node:path';
import { BULK_EXPORT_JOB, bulkExportHandler } from '../../src/jobs/bulk-export/bulk-export-job.js';
import { startJobRunner } from '../../src/jobs/job-runner.js';
import { buildServer } from '../../src/server/build-server.js';
import { openStore } from '../../src/store/open-store.js';
import { createFhirRepository, type FhirRepository } from '../../src/store/repository/create-fhir-repository.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from './temp-dir.js';
import { createTestDatabase } from './test-database.js';

export interface TestServer {
  readonly url: string;
  readonly fhir: string;
  readonly store: Store;
  readonly repository: FhirRepository;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const dir = makeTempDir();
  const database = await createTestDatabase();
  const store = await openStore(database.url);
  const repository = createFhirRepository(store);
  const exportRoot = join(dir.path, 'exports');
  const jobs = startJobRunner(store, { [BULK_EXPORT_JOB]: bulkExportHandler(exportRoot) }, { intervalMs: 100 });
  const app = await buildServer({ repository, exportRoot, jobs, version: 'test' });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    fhir: `${address}/fhir`,
    store,
    repository,
    close: async () => {
      await app.close();
      await jobs.stop();
      await store.close();
      await database.drop();
      dir.remove();
    },
  };
}

export interface FhirResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

/** A small HTTP helper: JSON in, JSON out, FHIR content types. */
export async function http<T = Record<string, unknown>>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<FhirResponse<T>> {
  const res = await fetch(url, {
    method,
    headers: {
      accept: 'application/fhir+json',
      ...(body !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}
