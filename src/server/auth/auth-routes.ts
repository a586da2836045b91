// Sign-in and tokens: POST /auth/login (user name, password, code), POST /auth/token (OAuth 2.0:
// refresh_token and client_credentials grants), POST /auth/revoke (RFC 7009), POST /auth/logout and
// GET /auth/me. Every sign-in, failed sign-in and sign-out is written to the audit log before the
// answer leaves; if it cannot be, the answer is an error.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessService } from '../../access/access-service.js';
import { clientCredentialsGrant } from '../../access/auth/clients.js';
import { passwordLogin } from '../../access/auth/password-login.js';
import {
  refreshSession,
  revokeRefreshToken,
  sessionIdOfRefreshToken,
  type TokenResponse,
} from '../../access/auth/sessions.js';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { OutcomeError } from '../../fhir/outcome.js';
import type { AuditEntry } from '../../store/audit-store.js';
import { principalOf } from '../http/request-context.js';
import { basicCredentials, bodyFields } from './auth-body.js';
import { clearRefreshCookie, refreshCookie, setRefreshCookie } from './refresh-cookie.js';
import type { SmartTokenHandOver } from './smart-authorization-routes.js';

export interface AuthRouteOptions {
  /** Sign-in and token requests allowed per client address per minute. */
  readonly rateLimit: number;
  /** Mark the refresh cookie Secure whatever the request's protocol (served over HTTPS behind a proxy). */
  readonly secureCookies?: boolean;
  /** The clinic's clock: the web app shows dates and "today" in the clinic's zone. */
  readonly clock: ClinicClock;
  /** SMART apps' token requests (a code, an app's refresh token or assertion) go to the SMART token endpoint. */
  readonly smartToken?: SmartTokenHandOver;
}

/**
 * Whether a request at /auth/token is a SMART app's: an authorization code, a refresh token of the
 * SMART server's (opaque: Careloop's own are `session.secret`), a signed client assertion, or the
 * client id of a registered app.
 */
async function isSmartTokenRequest(
  f: Record<string, string>,
  clientId: string | undefined,
  isApp: (id: string) => Promise<boolean>,
): Promise<boolean> {
  if (f.grant_type === 'authorization_code') return true;
  if (f.grant_type === 'refresh_token') return f.refresh_token !== undefined && !f.refresh_token.includes('.');
  if (f.grant_type === 'client_credentials')
    return f.client_assertion !== undefined || (clientId ? isApp(clientId) : false);
  return false;
}

/** OAuth errors (RFC 6749 §5.2) are JSON of their own shape, not OperationOutcomes. */
function oauthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply
    .code(status)
    .header('Cache-Control', 'no-store')
    .type('application/json')
    .send({ error, error_description: description });
}

function sendTokens(
  req: FastifyRequest,
  reply: FastifyReply,
  tokens: TokenResponse,
  sessionSeconds: number,
  secure: boolean,
) {
  if (tokens.refresh_token) setRefreshCookie(req, reply, tokens.refresh_token, sessionSeconds, secure);
  return reply
    .code(200)
    .header('Cache-Control', 'no-store')
    .header('Pragma', 'no-cache')
    .type('application/json')
    .send(tokens);
}

export function registerAuthRoutes(app: FastifyInstance, access: AccessService, options: AuthRouteOptions): void {
  const { auth, trail } = access;
  const secure = options.secureCookies === true;
  const limited = { public: true, rateLimit: { max: options.rateLimit, timeWindow: 60_000 } };
  const sessionSeconds = Math.floor(auth.settings.sessionMs / 1000);

  const record = (req: FastifyRequest, entry: Omit<AuditEntry, 'recorded' | 'address' | 'patients'>) =>
    trail.record({ recorded: auth.now(), address: req.ip, patients: [], ...entry });

  app.post('/auth/login', { config: limited }, async (req, reply) => {
    const f = bodyFields(req);
    if (!f.username || !f.password)
      throw new OutcomeError('required', 'Give a username and a password', { status: 400 });
    const result = await passwordLogin(auth, {
      username: f.username,
      password: f.password,
      code: f.code,
      scope: f.scope,
    });
    const account = result.account;
    const who = account
      ? { accountId: account.id, username: account.username, role: account.role }
      : { username: f.username.slice(0, 64) };
    if (!result.ok) {
      await record(req, {
        kind: 'login-failed',
        action: 'E',
        status: result.reason === 'locked' ? 423 : 401,
        ...who,
        detail: result.reason,
      });
      if (result.reason === 'mfa-required') {
        return reply
          .code(401)
          .type('application/json')
          .send({ error: 'mfa_required', error_description: result.message });
      }
      throw new OutcomeError(result.reason === 'locked' ? 'lock-error' : 'login', result.message, {
        status: result.reason === 'locked' ? 423 : 401,
      });
    }
    await record(req, {
      kind: 'login',
      action: 'E',
      status: 200,
      ...who,
      ...(result.tokens.fhirUser ? { fhirUser: result.tokens.fhirUser } : {}),
    });
    return sendTokens(req, reply, result.tokens, sessionSeconds, secure);
  });

  app.post('/auth/token', { config: limited }, async (req, reply) => {
    const f = bodyFields(req);
    const isApp = async (id: string) => (await auth.store.accounts.getApp(id)) !== undefined;
    if (options.smartToken && (await isSmartTokenRequest(f, basicCredentials(req)?.id ?? f.client_id, isApp)))
      return options.smartToken(req, reply, f);
    if (f.grant_type === 'refresh_token') {
      const token = f.refresh_token ?? refreshCookie(req);
      if (!token) return oauthError(reply, 400, 'invalid_request', 'refresh_token is required');
      const result = await refreshSession(auth, token);
      if (!result.ok) {
        const sid = sessionIdOfRefreshToken(token);
        if (sid) access.authenticator.forget(sid);
        await record(req, { kind: 'token', action: 'E', status: 400, detail: result.reason });
        clearRefreshCookie(reply, secure);
        return oauthError(reply, 400, 'invalid_grant', result.reason);
      }
      return sendTokens(req, reply, result.tokens, sessionSeconds, secure);
    }
    if (f.grant_type === 'client_credentials') {
      const basic = basicCredentials(req);
      const clientId = basic?.id ?? f.client_id;
      const clientSecret = basic?.secret ?? f.client_secret;
      if (!clientId || !clientSecret)
        return oauthError(reply, 401, 'invalid_client', 'Client authentication is required');
      const result = await clientCredentialsGrant(auth, { clientId, clientSecret, scope: f.scope });
      await record(req, {
        kind: result.ok ? 'login' : 'login-failed',
        action: 'E',
        status: result.ok ? 200 : 401,
        clientId: clientId.slice(0, 64),
        ...(result.ok ? { username: result.client.name, role: 'system' } : {}),
      });
      if (!result.ok) return oauthError(reply, 401, 'invalid_client', result.message);
      return sendTokens(req, reply, result.tokens, sessionSeconds, secure);
    }
    return oauthError(
      reply,
      400,
      'unsupported_grant_type',
      'Use grant_type authorization_code, refresh_token or client_credentials (sign in at /auth/login)',
    );
  });

  // RFC 7009: revoking a refresh token ends its session. The answer is the same whatever the token.
  app.post('/auth/revoke', { config: limited }, async (req, reply) => {
    const token = bodyFields(req).token ?? refreshCookie(req);
    const ended = token ? await revokeRefreshToken(auth, token) : undefined;
    if (ended) {
      access.authenticator.forget(ended.id);
      await record(req, {
        kind: 'logout',
        action: 'E',
        status: 200,
        ...(ended.accountId ? { accountId: ended.accountId } : {}),
      });
    }
    clearRefreshCookie(reply, secure);
    return reply.code(200).send();
  });

  app.post('/auth/logout', { config: { mfaEnrolment: true } }, async (req, reply) => {
    const principal = principalOf(req);
    await auth.store.accounts.revokeSession(principal.sessionId, auth.now());
    access.authenticator.forget(principal.sessionId);
    req.audit.kind = 'logout';
    req.audit.action = 'E';
    clearRefreshCookie(reply, secure);
    return reply.code(204).send();
  });

  app.get('/auth/me', { config: { mfaEnrolment: true } }, async (req) => {
    const p = principalOf(req);
    req.audit.kind = 'session';
    const decisions = await access.decisions.get(p);
    return {
      kind: p.kind,
      name: p.name,
      role: p.role,
      scope: p.scope,
      // The web app warns before the idle timeout ends the session (automatic logoff).
      idleSeconds: Math.floor(auth.settings.idleMs / 1000),
      // One clock for the clinic: the web app's "today" is the server's (CARELOOP_TIMEZONE).
      timeZone: options.clock.timeZone,
      today: options.clock.today(),
      ...(p.fhirUser ? { fhirUser: p.fhirUser } : {}),
      ...(p.links.patient ? { patient: p.links.patient } : {}),
      patients: decisions.all ? 'all' : [...decisions.patients, ...decisions.emergency].map((id) => `Patient/${id}`),
      ...(decisions.emergencyGrants.size
        ? { emergencyAccess: [...decisions.emergencyGrants.keys()].map((id) => `Patient/${id}`) }
        : {}),
    };
  });
}
