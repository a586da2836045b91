// `careloop import`: files and folders of Bundles (transaction, batch, collection) and NDJSON go into
// the database. Worker threads parse, validate and index; the main thread writes in large database
// transactions (each bundle or resource in its own savepoint, so one bad input never takes others
// down). Links to resources from other files (`urn:uuid:` fullUrls) are resolved across the run.
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Resource } from '@medplum/fhirtypes';
import { rewriteReferencesInPlace } from '../../fhir/bundle/rewrite-references.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import { prepareVersion } from '../../store/repository/prepare-version.js';
import type { Store, VersionWrite } from '../../store/store.js';
import type { WorkerMessage, WorkerRequest } from './import-worker.js';
import type { ImportGroup, PreparedChunk } from './prepare-import.js';

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
  readonly workers?: number;
  /** Called as work progresses (for the progress bar). */
  readonly onProgress?: (p: { filesDone: number; files: number; resources: number; seconds: number }) => void;
}

const FLUSH_WRITES = 4000;

/** Every importable file under the given paths, in a stable order. */
export function findImportFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (!name.startsWith('.')) visit(join(p, name));
      }
    } else if (/\.(json|ndjson|jsonl)$/i.test(p)) {
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

interface Pending {
  groups: ImportGroup[];
  writes: number;
}

export async function runImport(
  store: Store,
  repository: FhirRepository,
  paths: readonly string[],
  options: ImportOptions = {},
): Promise<ImportReport> {
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
  const pending: Pending = { groups: [], writes: 0 };
  const progress = (): void =>
    options.onProgress?.({ filesDone, files: files.length, resources, seconds: (performance.now() - started) / 1000 });

  const record = (writes: readonly VersionWrite[]): void => {
    for (const w of writes) counts[w.resourceType] = (counts[w.resourceType] ?? 0) + 1;
    resources += writes.length;
  };

  /** Writes resources that came with their own id: updated in place if they already exist. */
  const writeUpserts = async (groups: ImportGroup[]): Promise<ImportGroup[]> => {
    const fresh: ImportGroup[] = [];
    for (const g of groups) {
      const w = g.writes[0] as VersionWrite;
      if (!g.upsert || !(await store.readCurrent(w.resourceType, w.id))) {
        fresh.push(g);
        continue;
      }
      try {
        await repository.update(w.resourceType, w.id, JSON.parse(w.json as string));
        record(g.writes);
      } catch (err) {
        errors.push(`${g.label}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return fresh;
  };

  const flush = async (): Promise<void> => {
    if (pending.groups.length === 0) return;
    const groups = await writeUpserts(pending.groups);
    pending.groups = [];
    pending.writes = 0;
    const results = await store.writeGroups(groups.map((g) => g.writes));
    results.forEach((r, i) => {
      const g = groups[i] as ImportGroup;
      if (r.ok) record(g.writes);
      else errors.push(`${g.label}: ${r.error.message}`);
    });
    progress();
  };

  const accept = async (chunk: PreparedChunk): Promise<void> => {
    for (const [url, ref] of chunk.fullUrls) fullUrls.set(url, ref);
    errors.push(...chunk.errors);
    for (const g of chunk.groups) {
      if (g.unresolved) deferred.push(g);
      else {
        pending.groups.push(g);
        pending.writes += g.writes.length;
      }
    }
    if (pending.writes >= FLUSH_WRITES) await flush();
    for (const bundle of chunk.slowBundles) {
      await flush();
      try {
        const response = await repository.processBundle(bundle, '');
        for (const e of response.entry ?? []) {
          const type = e.response?.location?.split('/')[0];
          if (type && e.response?.status?.startsWith('20')) {
            counts[type] = (counts[type] ?? 0) + 1;
            resources++;
          } else if (e.response?.outcome) {
            errors.push(
              `${bundle.id ?? 'bundle'}: ${JSON.stringify(e.response.outcome.issue?.[0]?.diagnostics ?? e.response.status)}`,
            );
          }
        }
      } catch (err) {
        errors.push(`bundle rejected: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };

  // Work queue over a small pool of workers; the main thread writes while they prepare.
  const queue = [...files];
  const workerCount = Math.max(1, Math.min(options.workers ?? availableParallelism(), 4, files.length));
  let writing: Promise<void> = Promise.resolve();
  const runWorker = (): Promise<void> =>
    new Promise((resolveWorker, rejectWorker) => {
      const worker = new Worker(workerUrl());
      let current: string | undefined;
      const next = (): void => {
        current = queue.shift();
        if (current === undefined) {
          void worker.terminate().then(() => resolveWorker());
          return;
        }
        worker.postMessage({
          kind: 'file',
          path: current,
          label: label(current),
          now: Date.now(),
        } satisfies WorkerRequest);
      };
      worker.on('message', (msg: WorkerMessage) => {
        if (msg.kind === 'chunk') {
          // Writes happen one chunk at a time, in arrival order; the worker waits for its ack.
          writing = writing
            .then(() => accept(msg.chunk))
            .then(() => worker.postMessage({ kind: 'ack' } satisfies WorkerRequest));
          return;
        }
        const finished = current;
        writing = writing.then(() => {
          filesDone++;
          if (msg.fatal && finished) failedFiles.push({ file: label(finished), reason: msg.fatal });
          progress();
        });
        next();
      });
      worker.on('error', rejectWorker);
      next();
    });
  await Promise.all(Array.from({ length: workerCount }, runWorker));
  await writing;
  await flush();

  // Links across files: rewrite what is now known and write what was held back.
  let danglingLinks = 0;
  for (const g of deferred) {
    try {
      const writes = g.writes.map((w) => {
        const resource = JSON.parse(w.json as string) as Resource;
        rewriteReferencesInPlace(resource, fullUrls);
        danglingLinks += countUrnLinks(resource);
        return prepareVersion(resource, w.id, w.versionId, w.lastUpdated).write;
      });
      pending.groups.push({ ...g, writes, unresolved: false });
      pending.writes += writes.length;
    } catch (err) {
      errors.push(`${g.label}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  await flush();
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
