// `careloop serve`: opens the database (running migrations), starts the job runner and the HTTP
// server, and stops cleanly on SIGINT/SIGTERM.

import { BULK_EXPORT_JOB, bulkExportHandler } from '../../jobs/bulk-export/bulk-export-job.js';
import { startJobRunner } from '../../jobs/job-runner.js';
import { buildServer } from '../../server/build-server.js';
import { openStore } from '../../store/open-store.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import { careloopVersion, readConfig, redactDatabaseUrl } from '../config.js';

export async function serve(): Promise<void> {
  const config = readConfig();
  const store = await openStore(config.database);
  const repository = createFhirRepository(store);
  const jobs = startJobRunner(store, { [BULK_EXPORT_JOB]: bulkExportHandler(config.exportRoot) });
  const app = await buildServer({
    repository,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    exportRoot: config.exportRoot,
    jobs,
    version: careloopVersion(),
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const shown = address.replace('127.0.0.1', 'localhost');
  console.log(`Careloop ${careloopVersion()} listening on ${shown} (FHIR base ${shown}/fhir)`);
  console.log(`Database: ${redactDatabaseUrl(config.database)}`);
  const stop = async (): Promise<void> => {
    await app.close();
    await jobs.stop();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
