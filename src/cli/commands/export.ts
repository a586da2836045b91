// `careloop export <dir> [--type T,U] [--since instant]`: NDJSON per resource type (Bulk Data format).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { getTypeModel } from '../../fhir/definitions/r4-definitions.js';
import { writeNdjsonExport } from '../../jobs/bulk-export/write-ndjson-export.js';
import { ALL_PATIENTS, openAuditedStore } from '../cli-audit.js';

export async function exportCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { type: { type: 'string' }, since: { type: 'string' } },
    allowPositionals: true,
  });
  const dir = positionals[0];
  if (!dir) {
    console.error('usage: careloop export <dir> [--type Patient,Observation] [--since 2024-01-01T00:00:00Z]');
    return 2;
  }
  const since = values.since ? Date.parse(values.since) : undefined;
  if (since !== undefined && Number.isNaN(since)) {
    console.error(`--since must be an instant, not '${values.since}'`);
    return 2;
  }
  const audited = await openAuditedStore();
  const store = audited.store;
  try {
    const present = Object.keys(await store.countByType());
    const types = values.type ? values.type.split(',').map((t) => t.trim()) : present;
    for (const t of types) {
      if (!getTypeModel().isResourceType(t)) {
        console.error(`Unknown resource type '${t}'`);
        return 2;
      }
    }
    const files = await writeNdjsonExport(store, resolve(dir), { types, ...(since !== undefined ? { since } : {}) });
    for (const f of files) console.log(`${f.type.padEnd(28)} ${String(f.count).padStart(8)}  ${f.file}`);
    const total = files.reduce((a, f) => a + f.count, 0);
    console.log(`Exported ${total} resources to ${resolve(dir)}`);
    // An export discloses every record of the types it wrote: it is in every patient's accounting.
    await audited.record({
      command: `careloop export ${args.join(' ')}`,
      action: 'E',
      exitCode: 0,
      detail: `exported ${total} resources (${files.map((f) => `${f.type} ${f.count}`).join(', ')}) to ${resolve(dir)}`,
      patients: [ALL_PATIENTS],
    });
    return 0;
  } finally {
    await audited.close();
  }
}
