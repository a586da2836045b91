// Assembles the HTTP server: body parsing, error handling, and the FHIR routes. Thin by design: each
// route calls the repository and answers.

import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import type { JobRunner } from '../jobs/job-runner.js';
import type { FhirRepository } from '../store/repository/create-fhir-repository.js';
import { installBodyParsers } from './http/body-parsers.js';
import { installErrorHandler } from './http/error-handler.js';
import { registerBulkExportRoutes } from './routes/bulk-export-routes.js';
import { registerEverythingRoute } from './routes/everything-route.js';
import { registerMetadataRoute } from './routes/metadata-route.js';
import { registerResourceRoutes } from './routes/resource-routes.js';
import { registerTerminologyRoutes } from './routes/terminology-routes.js';

export interface ServerOptions {
  readonly repository: FhirRepository;
  /** Public base URL of the FHIR endpoint; derived from each request's Host when absent. */
  readonly baseUrl?: string;
  readonly exportRoot: string;
  readonly jobs?: JobRunner;
  readonly version: string;
  readonly logger?: boolean;
  /** Largest request body accepted (bytes). */
  readonly bodyLimit?: number;
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: 'info' } : false,
    bodyLimit: options.bodyLimit ?? 32 * 1024 * 1024,
    // Ids and search values may contain characters a strict router rejects; FHIR allows them.
    routerOptions: { maxParamLength: 256, ignoreTrailingSlash: false },
    trustProxy: false,
  });
  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  installBodyParsers(app);
  installErrorHandler(app);
  const deps = { repository: options.repository, baseUrl: options.baseUrl };
  registerMetadataRoute(app, { ...deps, version: options.version });
  registerTerminologyRoutes(app, deps);
  registerEverythingRoute(app, deps);
  registerBulkExportRoutes(app, { ...deps, exportRoot: options.exportRoot, jobs: options.jobs });
  registerResourceRoutes(app, deps);
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}
