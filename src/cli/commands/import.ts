// `careloop import <files or folders>`: with a progress line, a count per resource type at the end,
// and every rejected file or entry named (the rest is imported).

import { setFlagsFromString } from 'node:v8';
import { createClinicClock } from '../../care/calendar/clinic-clock.js';
import { openAuditedStore } from '../cli-audit.js';
import { readConfig } from '../config.js';
import { describeDocument, importDocuments } from '../import/import-documents.js';
import { findImportFiles, runImport } from '../import/run-import.js';

export async function importCommand(args: readonly string[]): Promise<number> {
  // Preparing resources allocates many short-lived objects: a larger young generation halves the
  // time spent collecting them (the workers get the same through their resource limits).
  setFlagsFromString('--max-semi-space-size=64');
  if (args.length === 0) {
    console.error('usage: careloop import <file or folder> [...]  (FHIR JSON and NDJSON, C-CDA .xml)');
    return 2;
  }
  const audited = await openAuditedStore({ bulk: true });
  const store = audited.store;
  const tty = process.stderr.isTTY;
  let lastDraw = 0;
  try {
    const report = await runImport(store, args, {
      database: readConfig().database,
      onProgress: ({ filesDone, files, resources, seconds }) => {
        const now = performance.now();
        if (now - lastDraw < 200 && filesDone < files) return;
        lastDraw = now;
        const width = 30;
        const filled = files ? Math.round((filesDone / files) * width) : width;
        const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${filesDone}/${files} files, ${resources.toLocaleString('en-US')} resources, ${Math.round(resources / Math.max(seconds, 0.001)).toLocaleString('en-US')}/s`;
        if (tty) process.stderr.write(`\r${line}`);
        else if (filesDone === files) process.stderr.write(`${line}\n`);
      },
    });
    if (tty) process.stderr.write('\n');
    for (const f of report.failedFiles) console.error(`skipped ${f.file}: ${f.reason}`);
    for (const e of report.errors.slice(0, 50)) console.error(`rejected ${e}`);
    if (report.errors.length > 50) console.error(`... and ${report.errors.length - 50} more rejections`);
    const types = Object.keys(report.counts).sort();
    for (const t of types) console.log(`${t.padEnd(28)} ${String(report.counts[t]).padStart(9)}`);
    console.log(
      `Imported ${report.resources.toLocaleString('en-US')} resources from ${report.files - report.failedFiles.length} of ${report.files} files in ${report.seconds.toFixed(1)} s (${Math.round(report.resources / Math.max(report.seconds, 0.001)).toLocaleString('en-US')} resources/s)`,
    );
    if (report.danglingLinks > 0)
      console.log(`${report.danglingLinks} links point at fullUrls no imported file defined; they were kept as given`);
    // C-CDA documents (.xml), one by one, as the server imports them (matching, review, hooks).
    const config = readConfig();
    const documents = await importDocuments(
      store,
      findImportFiles(args, /\.xml$/i),
      createClinicClock(config.timeZone),
      config.baseUrl ?? `http://${config.host}:${config.port}/fhir`,
      config.feedOrganization,
      (d) => console.log(describeDocument(d)),
    );
    if (documents.length > 0) await store.flush();
    const refusedDocuments = documents.filter((d) => d.result.outcome === 'refused').length;
    const exitCode = report.failedFiles.length > 0 || report.errors.length > 0 || refusedDocuments > 0 ? 1 : 0;
    await audited.record({
      command: `careloop import ${args.join(' ')}`,
      action: 'C',
      exitCode,
      detail: `imported ${report.resources} resources (${types.map((t) => `${t} ${report.counts[t]}`).join(', ')}); ${report.failedFiles.length} files skipped, ${report.errors.length} entries rejected; ${documents.length} C-CDA documents (${refusedDocuments} refused)`,
      patients: documents.flatMap((d) =>
        d.result.outcome === 'applied' || d.result.outcome === 'unchanged' ? [d.result.patient] : [],
      ),
    });
    return exitCode;
  } finally {
    await audited.close();
  }
}
