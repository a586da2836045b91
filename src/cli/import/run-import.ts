// `careloop import`: files and folders of Bundles (transaction, batch, collection) and NDJSON go into
// the database. Worker threads parse, validate, index and write in large database transactions (each
// bundle or resource in its own savepoint, so one bad input never takes others down), taking turns for
// the write lock. Links to resources in other files (`urn:uuid:` fullUrls) are resolved across the run.
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Resource } from '@medplum/fhirtypes';
import { rewriteReferencesInPlace } from '../../fhir/bundle/rewrite-references.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import { placeUnplacedResources } from '../../store/repository/place-referencing-resources.js';
import { prepareVersion } from '../../store/repository/prepare-version.js';
import type { Store } from '../../store/store.js';
import { type ImportEvent, runImportLoop } from './import-loop.js';
import type { WorkerInput, WorkerMessage } from './import-worker.js';
import type { ImportGroup } from './prepare-import.js';

export interface ImportReport {
  readonly files: number;
  readonly failedFiles: readonly { file: string; reason: string }[];
  readonly errors: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
  readonly resources: number;
  readonly seconds: number;
  /** Links to fullUrls that no imported file defined (stored as given). */
  readonly danglingLinks: number;
}

export interface ImportOptions {
  /** The database the workers write to (the same one `store` is open on). */
  readonly database: string;
  readonly workers?: number;
  /** Called as work progresses (for the progress bar). */
  readonly onProgress?: (p: { filesDone: number; files: number; resources: number; seconds: number }) => void;
}

/** Every importable file under the given paths (FHIR JSON and NDJSON), in a stable order. */
export function findImportFiles(paths: readonly string[], pattern = /\.(json|ndjson|jsonl)$/i): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (!name.startsWith('.')) visit(join(p, name));
      }
    } else if (pattern.test(p)) {
      out.push(p);
    }
  };
  for (const p of paths) visit(resolve(p));
  return out;
}

function workerUrl(): URL {
  // Under the TypeScript sources the worker needs tsx; a compiled build would ship import-worker.js.
  return import.meta.url.endsWith('.ts')
    ? new URL('./import-worker-entry.mjs', import.meta.url)
    : new URL('./import-worker.js', import.meta.url);
}

export async function runImport(store: Store, paths: readonly string[], options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const files = findImportFiles(paths);
  const base = paths.length === 1 ? resolve(paths[0] as string) : process.cwd();
  const label = (f: string): string =>
    relative(statSync(base).isDirectory() ? base : resolve(base, '..'), f) || basename(f);
  const counts: Record<string, number> = {};
  const errors: string[] = [];
  const failedFiles: { file: string; reason: string }[] = [];
  const fullUrls = new Map<string, string>();
  const deferred: ImportGroup[] = [];
  let resources = 0;
  let filesDone = 0;
  const progress = (): void =>
    options.onProgress?.({ filesDone, files: files.length, resources, seconds: (performance.now() - started) / 1000 });
  const record = (c: Readonly<Record<string, number>>): void => {
    for (const [type, n] of Object.entries(c)) {
      counts[type] = (counts[type] ?? 0) + n;
      resources += n;
    }
  };

  // Into an empty database, the search indexes are built once at the end instead of row by row.
  const indexesDeferred = await store.deferIndexes();

  // The main thread and the workers prepare and write, taking turns for the write lock through
  // `shared`. The main thread starts at once; workers join when loaded (that takes most of a second).
  const inputs = files.map((f) => ({ path: f, label: label(f) }));
  const shared = new SharedArrayBuffer(8);
  const now = Date.now();
  const onEvent = (event: ImportEvent): void => {
    if (event.kind === 'written') {
      record(event.counts);
      errors.push(...event.errors);
      for (const [url, ref] of event.fullUrls) fullUrls.set(url, ref);
      deferred.push(...event.deferred);
    } else {
      filesDone++;
      if (event.fatal) failedFiles.push({ file: inputs[event.file]?.label ?? '?', reason: event.fatal });
    }
    progress();
  };
  // A worker takes most of a second to load: below about 16 MB of input the main thread alone is done sooner.
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const useful = bytes >= 16 * 1024 * 1024 ? availableParallelism() - 1 : 0;
  const workerCount = Math.max(0, Math.min(options.workers ?? useful, 4, files.length - 1));
  const runWorker = (): Promise<void> =>
    new Promise((resolveWorker, rejectWorker) => {
      // A larger young generation: preparing allocates many short-lived objects, and with the
      // default semi-space the workers spent a fifth of their time in scavenges.
      const worker = new Worker(workerUrl(), {
        workerData: { database: options.database, files: inputs, shared, now } satisfies WorkerInput,
        resourceLimits: { maxYoungGenerationSizeMb: 64 },
      });
      worker.on('message', (msg: WorkerMessage) => {
        if (msg.kind === 'finished') void worker.terminate().then(() => resolveWorker());
        else if (msg.kind === 'failed') void worker.terminate().then(() => rejectWorker(new Error(msg.message)));
        else onEvent(msg);
      });
      worker.on('error', rejectWorker);
    });
  const workers = Array.from({ length: workerCount }, runWorker);
  await runImportLoop({ files: inputs, shared, now }, store, createFhirRepository(store), onEvent);
  await Promise.all(workers);

  // Links across files: rewrite what is now known and write what was held back.
  let danglingLinks = 0;
  const groups: ImportGroup[] = [];
  for (const g of deferred) {
    try {
      const writes = g.writes.map((w) => {
        const resource = JSON.parse(w.json as string) as Resource;
        rewriteReferencesInPlace(resource, fullUrls);
        danglingLinks += countUrnLinks(resource);
        return prepareVersion(resource, w.id, w.versionId, w.lastUpdated).write;
      });
      groups.push({ ...g, writes, unresolved: false });
    } catch (err) {
      errors.push(`${g.label}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const results = await store.writeGroups(groups.map((g) => g.writes));
  results.forEach((r, i) => {
    const g = groups[i] as ImportGroup;
    if (r.ok) {
      const c: Record<string, number> = {};
      for (const w of g.writes) c[w.resourceType] = (c[w.resourceType] ?? 0) + 1;
      record(c);
    } else errors.push(`${g.label}: ${r.error.message}`);
  });
  if (indexesDeferred) await store.restoreIndexes();
  // A Binary whose security context is a resource of this import joins that resource's record; each
  // resource was prepared alone, so it is placed now that they are all stored.
  if (counts.Binary) await placeUnplacedResources(store, () => Date.now(), ['Binary']);
  // The load did not sync commit by commit: nothing is reported imported before it is on disk.
  await store.flush();
  progress();
  return {
    files: files.length,
    failedFiles,
    errors,
    counts,
    resources,
    seconds: (performance.now() - started) / 1000,
    danglingLinks,
  };
}

function countUrnLinks(resource: unknown): number {
  let n = 0;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'reference' && typeof x === 'string' && x.startsWith('urn:')) n++;
        else visit(x);
      }
    }
  };
  visit(resource);
  return n;
}
