// Writes resources as NDJSON, one file per resource type (the HL7 Bulk Data format): used by the
// $export job and by `careloop export`. Resources are streamed from the store, never held in memory.

import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../store/store.js';

export interface ExportSelection {
  /** Resource types to export, in order. */
  readonly types: readonly string[];
  /** Only resources last updated at or after (epoch ms). */
  readonly since?: number;
  /** Only these patients' compartments (patient- and group-level export). */
  readonly patientIds?: readonly string[];
}

export interface ExportedFile {
  readonly type: string;
  readonly file: string;
  readonly count: number;
}

export async function writeNdjsonExport(
  store: Store,
  dir: string,
  selection: ExportSelection,
  hooks: { onProgress?: (done: number, type: string) => void; isCancelled?: () => boolean } = {},
): Promise<ExportedFile[]> {
  mkdirSync(dir, { recursive: true });
  const files: ExportedFile[] = [];
  let done = 0;
  for (const type of selection.types) {
    let count = 0;
    const file = `${type}.ndjson`;
    let out: ReturnType<typeof createWriteStream> | undefined;
    let failure: Error | undefined;
    for await (const v of store.scan({
      resourceType: type,
      ...(selection.since !== undefined ? { since: selection.since } : {}),
      ...(selection.patientIds ? { patientIds: selection.patientIds } : {}),
    })) {
      if (!v.json) continue;
      if (hooks.isCancelled?.()) break;
      if (!out) {
        out = createWriteStream(join(dir, file));
        // Disk full, or the directory removed by a cancellation: stop this export, never the process.
        out.on('error', (err) => {
          failure = err;
        });
      }
      if (failure) throw failure;
      if (!out.write(`${v.json}\n`)) await once(out, 'drain');
      count++;
      done++;
      if (done % 1000 === 0) hooks.onProgress?.(done, type);
    }
    if (out) {
      if (!failure) {
        out.end();
        await once(out, 'finish');
      }
      if (failure) throw failure;
      files.push({ type, file, count });
    }
    if (hooks.isCancelled?.()) break;
  }
  return files;
}
