// Assembles the HTTP server: security headers, body parsing, error handling, authentication and
// audit, and the routes. Thin by design: each route calls the repository view of its requester
// (req.fhir), which enforces the access rules, and answers.

import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { AccessService } from '../access/access-service.js';
import { createAppOriginCheck } from '../access/auth/app-origins.js';
import type { ClinicClock } from '../care/calendar/clinic-clock.js';
import { toOperationOutcome } from '../fhir/outcome.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { FhirRepository } from '../store/repository/create-fhir-repository.js';
import { registerAccountRoutes } from './auth/account-routes.js';
import { registerAdminAppRoutes } from './auth/admin-app-routes.js';
import { registerAdminRoutes } from './auth/admin-routes.js';
import { registerAuthRoutes } from './auth/auth-routes.js';
import { registerSmartAuthorization } from './auth/smart-authorization-routes.js';
import { registerSmartConfiguration } from './auth/smart-configuration-route.js';
import { registerSmartConsentRoutes } from './auth/smart-consent-routes.js';
import { registerAcceptDocumentRoute } from './feeds/accept-document-route.js';
import { registerCcdaExportRoutes } from './feeds/ccda-export-routes.js';
import { registerFeedReviewRoutes } from './feeds/feed-review-routes.js';
import { registerImportCcdaRoute } from './feeds/import-ccda-route.js';
import { DEFAULT_API_RATE_LIMIT, installApiRateLimit } from './http/api-rate-limit.js';
import { installAuditHook } from './http/audit-entry.js';
import { installBodyParsers } from './http/body-parsers.js';
import { installCors } from './http/cors.js';
import { installErrorHandler } from './http/error-handler.js';
import { createNotificationHub, type NotificationHub } from './http/notification-hub.js';
import { installRequestContext } from './http/request-context.js';
import { registerWebApp } from './http/web-app.js';
import { registerAuditEventRoutes } from './routes/audit-event-routes.js';
import { registerBulkExportRoutes } from './routes/bulk-export-routes.js';
import { registerCarePlanHistoryRoute } from './routes/care-plan-history-route.js';
import { registerCareSummaryRoute } from './routes/care-summary-route.js';
import { registerCareTeamRoutes } from './routes/care-team-routes.js';
import { registerEverythingRoute } from './routes/everything-route.js';
import { registerFindServicesRoute } from './routes/find-services-route.js';
import { registerHistoryRoutes } from './routes/history-routes.js';
import { registerMedrecCompleteRoutes } from './routes/medrec-complete-route.js';
import { registerMedrecRoutes } from './routes/medrec-routes.js';
import { registerMessageRoutes } from './routes/message-routes.js';
import { registerMetadataRoute } from './routes/metadata-route.js';
import { registerNeedsRoute } from './routes/needs-route.js';
import { registerNotificationsRoute } from './routes/notifications-route.js';
import { registerReferralMeasureRoute } from './routes/referral-measure-route.js';
import { registerResourceRoutes } from './routes/resource-routes.js';
import { registerSlotFindRoute } from './routes/slot-find-route.js';
import { registerTcmComplexityRoute } from './routes/tcm-complexity-route.js';
import { registerTerminologyRoutes } from './routes/terminology-routes.js';
import { registerTransitionRoutes } from './routes/transition-routes.js';
import { registerWorklistRoute } from './routes/worklist-route.js';

export interface ServerOptions {
  /** The unrestricted repository; each request gets its own guarded view of it. */
  readonly repository: FhirRepository;
  readonly access: AccessService;
  /** The clinic's clock (time zone, today); routes take now and today from it. */
  readonly clock: ClinicClock;
  /** Public base URL of the FHIR endpoint; derived from each request's Host when absent. */
  readonly baseUrl?: string;
  readonly exportRoot: string;
  readonly jobs?: JobRunner;
  readonly version: string;
  readonly logger?: boolean;
  /** Where the log goes (tests read it); stdout when `logger` is set. */
  readonly logStream?: { write(line: string): void };
  /** Largest request body accepted (bytes). */
  readonly bodyLimit?: number;
  /** The organization that manages the patients hospital feeds and documents register. */
  readonly feedOrganization?: string | undefined;
  /** Origins allowed to call the API from a browser (CORS); none by default. */
  readonly corsOrigins?: readonly string[];
  /** Sign-in and token requests allowed per client address per minute. */
  readonly authRateLimit?: number;
  /** API requests allowed per user or backend client per minute (0: no limit). */
  readonly apiRateLimit?: number;
  /** Careloop is served over HTTPS (its public URL is https): cookies are marked Secure. */
  readonly secureCookies?: boolean;
  /** The built web app (web/dist by default). */
  readonly webRoot?: string;
  /** Live notifications for connected users (GET /notifications). */
  readonly notifications?: NotificationHub;
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Requests are not logged one by one (a URL carries search values: health data); failures are,
    // by request id (error-handler.ts). Every response names its request id (X-Request-Id).
    logger: options.logStream
      ? { level: 'info', stream: options.logStream }
      : options.logger
        ? { level: 'info' }
        : false,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    // A request line or headers too large for Node's parser: an OperationOutcome like any refusal.
    clientErrorHandler: (err, socket) => {
      const code = (err as { code?: string }).code;
      const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = JSON.stringify(
        toOperationOutcome([
          {
            code: status === 431 ? 'too-long' : 'invalid',
            diagnostics:
              status === 431
                ? 'The request line or headers are too large: send a search as POST _search'
                : 'The request could not be read',
          },
        ]),
      );
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/fhir+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      } else socket.destroy();
    },
    bodyLimit: options.bodyLimit ?? 32 * 1024 * 1024,
    // Ids and search values may contain characters a strict router rejects; FHIR allows them.
    routerOptions: { maxParamLength: 256, ignoreTrailingSlash: false },
    trustProxy: false,
  });
  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  await installCors(app, {
    trusted: options.corsOrigins ?? [],
    isAppOrigin: createAppOriginCheck(options.access.auth.store.accounts, options.access.auth.now),
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('X-Request-Id', req.id);
  });
  installBodyParsers(app);
  installErrorHandler(app);
  installRequestContext(app, options.repository, options.access);
  installApiRateLimit(app, options.apiRateLimit ?? DEFAULT_API_RATE_LIMIT);
  installAuditHook(app, options.access.trail);

  const { clock } = options;
  const deps = { baseUrl: options.baseUrl, clock };
  registerSmartConfiguration(app, options.access, options.baseUrl);
  const smartToken = await registerSmartAuthorization(
    app,
    options.access,
    options.baseUrl,
    options.authRateLimit ?? 30,
  );
  registerSmartConsentRoutes(app, options.access);
  registerAuthRoutes(app, options.access, {
    rateLimit: options.authRateLimit ?? 30,
    secureCookies: options.secureCookies === true,
    clock,
    smartToken,
  });
  registerAccountRoutes(app, options.access);
  registerAdminRoutes(app, options.access);
  registerAdminAppRoutes(app, options.access);
  registerMetadataRoute(app, { ...deps, version: options.version });
  registerAuditEventRoutes(app, options.access, options.baseUrl);
  registerTerminologyRoutes(app, clock);
  registerEverythingRoute(app, deps);
  registerNeedsRoute(app, clock);
  registerCarePlanHistoryRoute(app, options.repository);
  registerCareTeamRoutes(app, clock);
  registerCareSummaryRoute(app, deps);
  registerWorklistRoute(app, deps);
  registerSlotFindRoute(app, deps);
  registerFindServicesRoute(app, deps);
  registerReferralMeasureRoute(app, clock);
  registerMedrecRoutes(app, clock);
  registerMedrecCompleteRoutes(app, clock);
  registerTransitionRoutes(app, clock);
  registerTcmComplexityRoute(app, clock);
  const feedDeps = {
    repository: options.repository,
    clock,
    baseUrl: options.baseUrl ?? 'http://localhost/fhir',
    feedOrganization: options.feedOrganization,
  };
  registerFeedReviewRoutes(app, feedDeps);
  registerImportCcdaRoute(app, { ...feedDeps, trail: options.access.trail });
  registerCcdaExportRoutes(app, clock);
  registerAcceptDocumentRoute(app, feedDeps);
  registerMessageRoutes(app, options.access, clock);
  registerNotificationsRoute(app, options.access, options.notifications ?? createNotificationHub());
  registerBulkExportRoutes(app, {
    ...deps,
    store: options.repository.store,
    exportRoot: options.exportRoot,
    jobs: options.jobs,
  });
  registerResourceRoutes(app, deps);
  registerHistoryRoutes(app, deps);
  app.get('/healthz', { config: { public: true } }, async () => ({ status: 'ok' }));
  registerWebApp(app, options.webRoot);
  return app;
}
