// Who is asking, and the repository as they may use it. Every route that is not marked public runs
// behind this hook: the bearer token is verified (identity comes from it alone, never from other
// headers), the access decisions are loaded, and `req.fhir` becomes a repository view that enforces
// them. Routes have no other way to reach the data.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessService } from '../../access/access-service.js';
import { newRequestAudit, type RequestAudit } from '../../access/audit/request-audit.js';
import { buildAccessGuard } from '../../access/policy/build-access-guard.js';
import type { Principal } from '../../access/principal.js';
import { OutcomeError } from '../../fhir/outcome.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import { auditEntryFor } from './audit-entry.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
    audit: RequestAudit;
    /** The repository as this requester may use it (set for every authenticated route). */
    fhir: FhirRepository;
  }
  interface FastifyContextConfig {
    /** Served without a token (metadata, discovery, sign-in). */
    public?: boolean;
    /** Allowed to a session that must enrol in multi-factor authentication first. */
    mfaEnrolment?: boolean;
  }
}

const unauthorized = (message: string, error?: string): OutcomeError =>
  new OutcomeError('login', message, {
    status: 401,
    headers: {
      'WWW-Authenticate': `Bearer realm="careloop"${error ? `, error="${error}", error_description="${message.replace(/"/g, "'")}"` : ''}`,
    },
  });

function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const m = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  if (!m) throw unauthorized('The Authorization header must be "Bearer <access token>"', 'invalid_request');
  return m[1];
}

/** The principal of an authenticated route (throws if the route was public). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw unauthorized('Sign in first');
  return req.principal;
}

export function installRequestContext(app: FastifyInstance, repository: FhirRepository, access: AccessService): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('audit', undefined as unknown as RequestAudit);
  app.decorateRequest('fhir', undefined as unknown as FhirRepository);

  app.addHook('onRequest', async (req) => {
    req.audit = newRequestAudit();
    const config = req.routeOptions.config;
    if (config?.public) return;
    req.audit.enabled = true;
    const token = bearerToken(req);
    if (!token) throw unauthorized('Sign in first: send an access token as "Authorization: Bearer <token>"');
    const result = await access.authenticator.authenticate(token);
    if (!result.ok) throw unauthorized(result.reason, 'invalid_token');
    req.principal = result.principal;
    if (result.mfaPending && !config?.mfaEnrolment) {
      throw new OutcomeError(
        'security',
        'Your role requires multi-factor authentication: enrol first (POST /auth/mfa/enrol, then /auth/mfa/confirm)',
        { status: 403 },
      );
    }
    const decisions = await access.decisions.get(result.principal);
    const guard = buildAccessGuard(result.principal, decisions, req.audit, async (events, tx) => {
      await tx.appendAudit([auditEntryFor(req, 200, events)]);
      req.audit.writesAudited = true;
    });
    req.fhir = repository.withAccess(guard);
  });
}
