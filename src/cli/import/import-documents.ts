// The C-CDA documents among `careloop import`'s files (`.xml`): each imported as POST $import-ccda
// would (src/server/feeds/import-ccda.ts), through the server's own hooks, one after another.
import { readFileSync } from 'node:fs';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { careHooks } from '../../server/care-hooks.js';
import { type CcdaImported, importCcda } from '../../server/feeds/import-ccda.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Store } from '../../store/store.js';

export interface DocumentReport {
  readonly file: string;
  readonly result: CcdaImported;
}

export async function importDocuments(
  store: Store,
  files: readonly string[],
  clock: ClinicClock,
  baseUrl: string,
  feedOrganization: string | undefined,
  onEach: (report: DocumentReport) => void,
): Promise<DocumentReport[]> {
  const repository = createFhirRepository(store, { now: clock.now, hooks: careHooks(clock, store.accounts) });
  const out: DocumentReport[] = [];
  for (const file of files) {
    const result = await importCcda(
      { repository, clock, baseUrl, feedOrganization },
      readFileSync(file, 'utf8'),
      'careloop import',
    );
    const report = { file, result };
    onEach(report);
    out.push(report);
  }
  return out;
}

export function describeDocument({ file, result }: DocumentReport): string {
  switch (result.outcome) {
    case 'applied':
    case 'unchanged': {
      const n = Object.values(result.counts).reduce((a, b) => a + b, 0);
      return `${file}: ${result.outcome} (${result.documentReference}, ${n} resources, Patient/${result.patient})`;
    }
    case 'review':
      return `${file}: held for the feed review: ${result.reason}`;
    case 'refused':
      return `${file}: refused at ${result.problem.element}: ${result.problem.text}`;
  }
}
