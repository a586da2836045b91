// The import work loop, run by the main thread and by each worker thread: take the next file from a
// shared counter, parse and prepare it (validation, index extraction), and write what was prepared
// through this thread's own database connection, taking turns for the single write lock. While one
// thread writes, the others prepare; nothing is copied between threads.
import { isAscii } from 'node:buffer';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Resource } from '@medplum/fhirtypes';
import { newResourceId } from '../../store/ids/new-resource-id.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Store, VersionWrite } from '../../store/store.js';
import {
  CONDITIONAL_REFERENCE,
  emptyChunk,
  type ImportGroup,
  type PreparedChunk,
  prepareDocument,
} from './prepare-import.js';

export interface ImportInput {
  readonly files: readonly { readonly path: string; readonly label: string }[];
  /** Int32Array[0]: index of the next file to take; [1]: the write turn (0 free, 1 taken). */
  readonly shared: SharedArrayBuffer;
  readonly now: number;
}

export type ImportEvent =
  | {
      readonly kind: 'written';
      readonly counts: Record<string, number>;
      readonly errors: string[];
      readonly fullUrls: [string, string][];
      /** Groups linking to fullUrls of files not read yet: written at the end of the import. */
      readonly deferred: ImportGroup[];
    }
  | { readonly kind: 'file-done'; readonly file: number; readonly fatal?: string };

/**
 * Resources prepared before taking the write turn: large commits write each index page once. The
 * first batches are small so that writing starts early and overlaps with preparing.
 */
const MAX_BATCH = 5000;
const FIRST_BATCH = 500;
const CHUNK_LINES = 2000;

export async function runImportLoop(
  input: ImportInput,
  store: Store,
  repository: FhirRepository,
  report: (event: ImportEvent) => void,
): Promise<void> {
  const shared = new Int32Array(input.shared);
  const newId = (): string => newResourceId();
  let batch = emptyChunk();
  let batchSize = 0;
  let batchLimit = FIRST_BATCH;

  /** Blocks this thread until it holds the write turn (the others keep preparing meanwhile). */
  const acquireTurn = (): void => {
    while (Atomics.compareExchange(shared, 1, 0, 1) !== 0) Atomics.wait(shared, 1, 1, 1000);
  };
  const releaseTurn = (): void => {
    Atomics.store(shared, 1, 0);
    Atomics.notify(shared, 1, 1);
  };

  async function writeBatch(): Promise<void> {
    const chunk = batch;
    batch = emptyChunk();
    batchSize = 0;
    const counts: Record<string, number> = {};
    const errors = [...chunk.errors];
    const record = (writes: readonly VersionWrite[]): void => {
      for (const w of writes) counts[w.resourceType] = (counts[w.resourceType] ?? 0) + 1;
    };
    acquireTurn();
    try {
      const fresh: ImportGroup[] = [];
      for (const g of chunk.groups) {
        if (g.unresolved) continue;
        const w = g.writes[0] as VersionWrite;
        if (!g.upsert || !(await store.readCurrent(w.resourceType, w.id))) {
          fresh.push(g);
          continue;
        }
        // The resource came with an id that exists: an update, with the REST API's rules.
        try {
          await repository.update(w.resourceType, w.id, JSON.parse(w.json as string) as Resource);
          record(g.writes);
        } catch (err) {
          errors.push(`${g.label}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      const results = await store.writeGroups(fresh.map((g) => g.writes));
      results.forEach((r, i) => {
        const g = fresh[i] as ImportGroup;
        if (r.ok) record(g.writes);
        else errors.push(`${g.label}: ${r.error.message}`);
      });
      for (const bundle of chunk.slowBundles) {
        try {
          const response = await repository.processBundle(bundle, '');
          for (const e of response.entry ?? []) {
            const type = e.response?.location?.split('/')[0];
            if (type && e.response?.status?.startsWith('20')) counts[type] = (counts[type] ?? 0) + 1;
            else if (e.response?.outcome) {
              errors.push(`bundle entry: ${e.response.outcome.issue?.[0]?.diagnostics ?? e.response.status}`);
            }
          }
        } catch (err) {
          errors.push(`bundle rejected: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    } finally {
      releaseTurn();
    }
    report({
      kind: 'written',
      counts,
      errors,
      fullUrls: chunk.fullUrls,
      deferred: chunk.groups.filter((g) => g.unresolved),
    });
  }

  async function take(chunk: PreparedChunk, resources: number): Promise<void> {
    batch.groups.push(...chunk.groups);
    batch.slowBundles.push(...chunk.slowBundles);
    batch.fullUrls.push(...chunk.fullUrls);
    batch.errors.push(...chunk.errors);
    batchSize += resources;
    if (batchSize >= batchLimit) {
      batchLimit = Math.min(batchLimit * 2, MAX_BATCH);
      await writeBatch();
    }
  }

  async function importNdjson(path: string, label: string): Promise<void> {
    const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
    let chunk = emptyChunk();
    let count = 0;
    let lineNo = 0;
    for await (const raw of lines) {
      lineNo++;
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      count++;
      try {
        const ctx = { newId, now: input.now, mayHaveConditionalReferences: CONDITIONAL_REFERENCE.test(line) };
        prepareDocument(ctx, JSON.parse(line), `${label} line ${lineNo}`, chunk);
      } catch (err) {
        chunk.errors.push(
          `${label} line ${lineNo}: invalid JSON (${err instanceof Error ? err.message : String(err)})`,
        );
      }
      if (count >= CHUNK_LINES) {
        await take(chunk, count);
        chunk = emptyChunk();
        count = 0;
      }
    }
    await take(chunk, count);
  }

  async function importJson(path: string, label: string): Promise<void> {
    const bytes = readFileSync(path);
    // Decoding 1 MB of UTF-8 costs about 7 ms; ASCII (most FHIR JSON) decodes as Latin-1 in a third.
    const text = (isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8')).replace(/^\uFEFF/, '');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new Error(`invalid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const ctx = { newId, now: input.now, mayHaveConditionalReferences: CONDITIONAL_REFERENCE.test(text) };
    const chunk = prepareDocument(ctx, doc, label);
    await take(
      chunk,
      chunk.groups.reduce((n, g) => n + g.writes.length, 0),
    );
  }

  for (;;) {
    const index = Atomics.add(shared, 0, 1);
    const file = input.files[index];
    if (!file) break;
    try {
      await (/\.(ndjson|jsonl)$/i.test(file.path) ? importNdjson : importJson)(file.path, file.label);
      report({ kind: 'file-done', file: index });
    } catch (err) {
      report({ kind: 'file-done', file: index, fatal: err instanceof Error ? err.message : String(err) });
    }
  }
  await writeBatch();
}
