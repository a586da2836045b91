// What a signed-in user does about their own access: change their password, enrol in TOTP, and
// (clinical staff) open a record in an emergency.
import type { FastifyInstance } from 'fastify';
import type { AccessService } from '../../access/access-service.js';
import { breakGlass } from '../../access/auth/break-glass.js';
import { beginMfaEnrolment, confirmMfaEnrolment } from '../../access/auth/mfa.js';
import { changeOwnPassword } from '../../access/auth/users.js';
import type { Principal } from '../../access/principal.js';
import { OutcomeError } from '../../fhir/outcome.js';
import type { Account } from '../../store/account-store.js';
import { principalOf } from '../http/request-context.js';
import { bodyFields } from './auth-body.js';

async function accountOf(access: AccessService, principal: Principal): Promise<Account> {
  const account = principal.kind === 'user' ? await access.auth.store.accounts.getAccount(principal.id) : undefined;
  if (!account) throw new OutcomeError('forbidden', 'Only users have passwords and second factors', { status: 403 });
  return account;
}

export function registerAccountRoutes(app: FastifyInstance, access: AccessService): void {
  const { auth } = access;

  app.post('/auth/password', async (req, reply) => {
    const principal = principalOf(req);
    req.audit.kind = 'password';
    req.audit.action = 'U';
    const f = bodyFields(req);
    if (!f.current || !f.next)
      throw new OutcomeError('required', 'Give the current and the new password', { status: 400 });
    const result = await changeOwnPassword(
      auth,
      await accountOf(access, principal),
      f.current,
      f.next,
      principal.sessionId,
    );
    if (!result.ok) throw new OutcomeError('business-rule', result.message, { status: 400 });
    access.authenticator.forgetAll();
    return reply.code(204).send();
  });

  app.post('/auth/mfa/enrol', { config: { mfaEnrolment: true } }, async (req, reply) => {
    req.audit.kind = 'mfa';
    req.audit.action = 'U';
    const account = await accountOf(access, principalOf(req));
    if (account.mfaEnabled)
      throw new OutcomeError('duplicate', 'Multi-factor authentication is already set up', { status: 409 });
    const { secret, uri } = await beginMfaEnrolment(auth, account);
    return reply.code(200).header('Cache-Control', 'no-store').send({ secret, otpauth_uri: uri });
  });

  app.post('/auth/mfa/confirm', { config: { mfaEnrolment: true } }, async (req, reply) => {
    const principal = principalOf(req);
    req.audit.kind = 'mfa';
    req.audit.action = 'U';
    const code = bodyFields(req).code ?? '';
    if (!(await confirmMfaEnrolment(auth, await accountOf(access, principal), code))) {
      throw new OutcomeError('security', 'The code does not match; check the authenticator app and try again', {
        status: 400,
      });
    }
    // A session that could only enrol ends here: sign in again, now with a code.
    await auth.store.accounts.revokeSession(principal.sessionId, auth.now());
    access.authenticator.forget(principal.sessionId);
    return reply.code(200).send({ enrolled: true, message: 'Enrolled. Sign in again with your password and a code.' });
  });

  app.post('/auth/break-glass', async (req, reply) => {
    const principal = principalOf(req);
    const f = bodyFields(req);
    req.audit.kind = 'break-glass';
    req.audit.action = 'E';
    req.audit.breakGlass = true;
    req.audit.detail = (f.reason ?? '').slice(0, 1000);
    const result = await breakGlass(auth, principal, { patient: f.patient ?? '', reason: f.reason ?? '' });
    if (!result.ok)
      throw new OutcomeError(result.status === 404 ? 'not-found' : 'forbidden', result.message, {
        status: result.status,
      });
    req.audit.patients.add(result.grant.patient);
    access.decisions.forget(principal);
    return reply.code(201).send({
      patient: `Patient/${result.grant.patient}`,
      expires: new Date(result.grant.expiresAt).toISOString(),
      message: 'Emergency access granted. Every access is recorded and will be reviewed.',
    });
  });
}
