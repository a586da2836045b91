// The administrator's SMART app registry over HTTP, as `careloop app add|list|remove` on the
// database: the same checks (src/access/auth/smart-apps.ts), the secret of a confidential app shown
// once, an app taken out of service keeping its record. Each request is audited (kind admin).
import type { FastifyInstance } from 'fastify';
import type { AccessService } from '../../access/access-service.js';
import { APP_KINDS, registerApp } from '../../access/auth/smart-apps.js';
import { OutcomeError } from '../../fhir/outcome.js';
import type { SmartApp } from '../../store/account-store.js';
import { requireAdmin } from './admin-routes.js';

const describeApp = (a: SmartApp) => ({
  id: a.id,
  name: a.name,
  kind: APP_KINDS[a.authMethod],
  scope: a.scope,
  redirectUris: a.redirectUris,
  launchUri: a.launchUri,
  jwksUri: a.jwksUri,
  created: new Date(a.createdAt).toISOString(),
});

export function registerAdminAppRoutes(app: FastifyInstance, access: AccessService): void {
  const accounts = access.auth.store.accounts;

  app.get('/auth/admin/apps', async (req) => {
    requireAdmin(req);
    return { apps: (await accounts.listApps()).filter((a) => !a.disabled).map(describeApp) };
  });

  app.post('/auth/admin/apps', async (req, reply) => {
    requireAdmin(req);
    req.audit.action = 'C';
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (k: string): string | undefined =>
      typeof body[k] === 'string' && (body[k] as string).trim() ? (body[k] as string).trim() : undefined;
    const redirectUris = Array.isArray(body.redirectUris)
      ? body.redirectUris.filter((u): u is string => typeof u === 'string' && u.trim() !== '').map((u) => u.trim())
      : [];
    const result = registerApp(access.auth, {
      name: text('name') ?? '',
      redirectUris,
      launchUri: text('launchUri'),
      public: body.public === true,
      scope: text('scope'),
      jwks: text('jwks'),
      jwksUri: text('jwksUri'),
    });
    if (!result.ok) throw new OutcomeError('business-rule', result.problems.join('; '), { status: 400 });
    await accounts.createApp(result.app);
    // The secret leaves once, in this answer; Careloop keeps it sealed and cannot show it again.
    return reply.code(201).send({ ...describeApp(result.app), ...(result.secret ? { secret: result.secret } : {}) });
  });

  app.delete<{ Params: { id: string } }>('/auth/admin/apps/:id', async (req, reply) => {
    requireAdmin(req);
    req.audit.action = 'D';
    if (!(await accounts.disableApp(req.params.id))) throw new OutcomeError('not-found', 'No such app in service');
    access.authenticator.forgetAll();
    return reply.code(204).send();
  });
}
