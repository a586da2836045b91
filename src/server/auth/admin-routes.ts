// Administration of identities over HTTP (the CLI does the same on the database): create users,
// reset a password, unlock and disable accounts, and choose which roles must use multi-factor
// authentication. Each request is audited (kind admin). Apps: admin-app-routes.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessService } from '../../access/access-service.js';
import { mfaRequiredRoles, setMfaRequiredRoles } from '../../access/auth/mfa.js';
import { addUser, setPassword } from '../../access/auth/users.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { allowedEndpoints, setAllowedEndpoints } from '../../jobs/subscriptions/endpoint-allowlist.js';
import { type Account, ROLES, type Role } from '../../store/account-store.js';
import { principalOf } from '../http/request-context.js';

export function requireAdmin(req: FastifyRequest): void {
  req.audit.kind = 'admin';
  if (principalOf(req).role !== 'admin') throw new OutcomeError('forbidden', 'Administrators only', { status: 403 });
}

const describe = (a: Account) => ({
  username: a.username,
  role: a.role,
  links: a.links,
  mfaEnabled: a.mfaEnabled,
  locked: a.lockedUntil !== undefined && a.lockedUntil > Date.now(),
  disabled: a.disabled,
  created: new Date(a.createdAt).toISOString(),
});

export function registerAdminRoutes(app: FastifyInstance, access: AccessService): void {
  const accounts = access.auth.store.accounts;

  app.get('/auth/admin/users', async (req) => {
    requireAdmin(req);
    // The roles a user may be given (the page's choices come from here, not a copy).
    return { users: (await accounts.listAccounts()).map(describe), roles: ROLES.filter((r) => r !== 'system') };
  });

  app.post('/auth/admin/users', async (req, reply) => {
    requireAdmin(req);
    req.audit.action = 'C';
    const body = (req.body ?? {}) as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    const relatedPersons = Array.isArray(body.relatedPersons)
      ? body.relatedPersons.filter((r) => typeof r === 'string')
      : undefined;
    const result = await addUser(access.auth, {
      username: str('username') ?? '',
      password: str('password') ?? '',
      role: str('role') ?? '',
      links: {
        ...(str('practitioner') ? { practitioner: str('practitioner') } : {}),
        ...(str('patient') ? { patient: str('patient') } : {}),
        ...(relatedPersons?.length ? { relatedPersons } : {}),
      },
    });
    if (!result.ok) throw new OutcomeError('business-rule', result.message, { status: 400 });
    return reply.code(201).send(describe(result.account));
  });

  app.post<{ Params: { username: string } }>('/auth/admin/users/:username/unlock', async (req, reply) => {
    requireAdmin(req);
    req.audit.action = 'U';
    const account = await accounts.getAccountByUsername(req.params.username);
    if (!account) throw new OutcomeError('not-found', 'No such user');
    await accounts.updateAccount(account.id, { failedLogins: 0, lockedUntil: undefined });
    return reply.code(204).send();
  });

  // A new password the administrator gives the user (who forgot theirs); their sessions end.
  app.post<{ Params: { username: string } }>('/auth/admin/users/:username/password', async (req, reply) => {
    requireAdmin(req);
    req.audit.action = 'U';
    const account = await accounts.getAccountByUsername(req.params.username);
    if (!account) throw new OutcomeError('not-found', 'No such user');
    const password = (req.body as { password?: unknown } | undefined)?.password;
    const result = await setPassword(access.auth, account, typeof password === 'string' ? password : '');
    if (!result.ok) throw new OutcomeError('business-rule', result.message, { status: 400 });
    access.authenticator.forgetAll();
    return reply.code(204).send();
  });

  app.post<{ Params: { username: string } }>('/auth/admin/users/:username/disable', async (req, reply) => {
    requireAdmin(req);
    req.audit.action = 'U';
    const account = await accounts.getAccountByUsername(req.params.username);
    if (!account) throw new OutcomeError('not-found', 'No such user');
    await accounts.updateAccount(account.id, { disabled: true });
    await accounts.revokeAccountSessions(account.id, access.auth.now());
    access.authenticator.forgetAll();
    return reply.code(204).send();
  });

  app.get('/auth/admin/mfa-policy', async (req) => {
    requireAdmin(req);
    return { requiredRoles: await mfaRequiredRoles(access.auth) };
  });

  app.put('/auth/admin/mfa-policy', async (req) => {
    requireAdmin(req);
    req.audit.action = 'U';
    const roles = (req.body as { requiredRoles?: unknown } | undefined)?.requiredRoles;
    if (!Array.isArray(roles) || roles.some((r) => !(ROLES as readonly unknown[]).includes(r))) {
      throw new OutcomeError('invalid', `requiredRoles must list roles among ${ROLES.join(', ')}`, { status: 400 });
    }
    await setMfaRequiredRoles(access.auth, roles as Role[]);
    return { requiredRoles: await mfaRequiredRoles(access.auth) };
  });

  // Where Subscriptions may send notifications (prefixes of endpoint URLs).
  app.get('/auth/admin/subscription-endpoints', async (req) => {
    requireAdmin(req);
    return { endpoints: await allowedEndpoints(accounts) };
  });

  app.put('/auth/admin/subscription-endpoints', async (req) => {
    requireAdmin(req);
    req.audit.action = 'U';
    const endpoints = (req.body as { endpoints?: unknown } | undefined)?.endpoints;
    if (!Array.isArray(endpoints) || !endpoints.every((e) => typeof e === 'string' && /^https?:\/\//.test(e)))
      throw new OutcomeError('invalid', 'Send {"endpoints": ["https://..."]}', { status: 400 });
    await setAllowedEndpoints(accounts, endpoints as string[]);
    return { endpoints: await allowedEndpoints(accounts) };
  });
}
