// The signed-in user's connected apps (src/access/auth/oidc/connected-apps.ts): what they allowed
// which SMART app, and withdrawing it. Each request is in the audit log (kind smart).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessService } from '../../access/access-service.js';
import { listConnectedApps } from '../../access/auth/oidc/connected-apps.js';
import { SMART_PREFIX } from '../../access/auth/oidc/smart-routes.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { principalOf } from '../http/request-context.js';

export function registerSmartConsentRoutes(app: FastifyInstance, access: AccessService): void {
  const accountOf = async (req: FastifyRequest) => {
    req.audit.kind = 'smart';
    const principal = principalOf(req);
    const account = principal.kind === 'user' ? await access.auth.store.accounts.getAccount(principal.id) : undefined;
    // An app's own token cannot list or withdraw the user's apps: only the user, in Careloop.
    if (!account || account.disabled || principal.app)
      throw new OutcomeError('forbidden', 'Sign in to Careloop to see your connected apps', { status: 403 });
    return account;
  };

  app.get(`${SMART_PREFIX}/consents`, async (req) => {
    const account = await accountOf(req);
    return { apps: await listConnectedApps(access.auth.store, account, access.auth.now()) };
  });

  app.delete<{ Params: { grantId: string } }>(`${SMART_PREFIX}/consents/:grantId`, async (req, reply) => {
    const account = await accountOf(req);
    req.audit.action = 'D';
    // Another user's consent is answered as if there were none.
    if (!(await access.auth.store.accounts.withdrawConsent(account.id, req.params.grantId)))
      throw new OutcomeError('not-found', 'No such connected app');
    access.authenticator.forgetAll();
    return reply.code(204).send();
  });
}
