// Sessions and the tokens that stand for them. An access token is a short-lived signed JWT; the
// session behind it is checked on every request, so logout, revocation and the idle timeout take
// effect at once rather than when the token expires. A refresh token is opaque, stored only as a
// hash, and rotated on each use; presenting a used one again ends the session (RFC 9700 §4.14.2:
// refresh token replay detection).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Account, OAuthClient, Session } from '../../store/account-store.js';
import { newResourceId } from '../../store/ids/new-resource-id.js';
import { ROLE_POLICIES } from '../policy/role-policies.js';
import { grantScopes, parseResourceScope } from '../scopes/smart-scopes.js';
import type { AuthContext } from './auth-context.js';

/** The SMART token response (RFC 6749 §5.1 plus SMART's context fields). */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
  readonly refresh_token?: string;
  readonly patient?: string;
  readonly fhirUser?: string;
  /** The session may only enrol in multi-factor authentication. */
  readonly mfa_enrollment_required?: boolean;
}

/** How a session came to be: interactive sessions end when idle, the others when their token expires. */
export type SessionKind = 'interactive' | 'client' | 'cli';

/** Marks sessions made by `careloop token` (no OAuth client of that id can exist: ids are UUIDs). */
export const CLI_CLIENT = 'careloop-cli';

const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function maximumScope(role: Account['role']): string {
  const policy = ROLE_POLICIES[role];
  return `${policy.context}/*.${policy.maxInteractions}`;
}

export function grantedScope(role: Account['role'], requested: string | undefined): string {
  const maximum = parseResourceScope(maximumScope(role));
  if (!maximum) throw new Error(`No scope for role ${role}`);
  return grantScopes(requested, maximum);
}

export function fhirUserOf(account: Account): string | undefined {
  return account.links.practitioner ?? account.links.patient ?? account.links.relatedPersons?.[0];
}

function accessToken(ctx: AuthContext, session: Session, role: string, fhirUser: string | undefined, ttl: number) {
  return ctx.signer.sign(
    {
      sub: session.accountId ?? `client:${session.clientId}`,
      sid: session.id,
      role,
      scope: session.scope,
      ...(fhirUser ? { fhirUser } : {}),
    },
    ttl,
  );
}

/** Starts a session for a user who has proven who they are. */
export async function startUserSession(
  ctx: AuthContext,
  account: Account,
  options: { scope?: string | undefined; kind: 'interactive' | 'cli'; mfaPending?: boolean },
): Promise<TokenResponse> {
  const now = ctx.now();
  const scope = grantedScope(account.role, options.scope);
  const refreshSecret = options.kind === 'interactive' ? randomBytes(32).toString('base64url') : undefined;
  const ttl = options.kind === 'cli' ? ctx.settings.cliTokenSeconds : ctx.settings.accessTokenSeconds;
  const session: Session = {
    id: newResourceId(),
    accountId: account.id,
    clientId: options.kind === 'cli' ? CLI_CLIENT : undefined,
    scope,
    createdAt: now,
    lastSeen: now,
    expiresAt: options.kind === 'cli' ? now + ttl * 1000 : now + ctx.settings.sessionMs,
    refreshHash: refreshSecret ? hashSecret(refreshSecret) : undefined,
    revokedAt: undefined,
    mfaPending: options.mfaPending === true,
  };
  await ctx.store.accounts.createSession(session);
  const fhirUser = fhirUserOf(account);
  const patient = account.role === 'patient' ? account.links.patient?.replace(/^Patient\//, '') : undefined;
  return {
    access_token: await accessToken(ctx, session, account.role, fhirUser, ttl),
    token_type: 'Bearer',
    expires_in: ttl,
    scope,
    ...(refreshSecret ? { refresh_token: `${session.id}.${refreshSecret}` } : {}),
    ...(patient ? { patient } : {}),
    ...(fhirUser ? { fhirUser } : {}),
    ...(session.mfaPending ? { mfa_enrollment_required: true } : {}),
  };
}

/** A backend client's token (SMART Backend Services: no refresh token; ask again when it expires). */
export async function startClientSession(
  ctx: AuthContext,
  client: OAuthClient,
  requested: string | undefined,
): Promise<TokenResponse> {
  const now = ctx.now();
  const maximum = parseResourceScope(client.scope);
  const scope = maximum ? grantScopes(requested, maximum) : '';
  const ttl = ctx.settings.accessTokenSeconds;
  const session: Session = {
    id: newResourceId(),
    accountId: undefined,
    clientId: client.id,
    scope,
    createdAt: now,
    lastSeen: now,
    expiresAt: now + ttl * 1000,
    refreshHash: undefined,
    revokedAt: undefined,
    mfaPending: false,
  };
  await ctx.store.accounts.createSession(session);
  return {
    access_token: await accessToken(ctx, session, 'system', undefined, ttl),
    token_type: 'Bearer',
    expires_in: ttl,
    scope,
  };
}

export type RefreshResult = { ok: true; tokens: TokenResponse } | { ok: false; reason: string };

export async function refreshSession(ctx: AuthContext, refreshToken: string): Promise<RefreshResult> {
  const [sid = '', secret = ''] = refreshToken.split('.', 2);
  const session = sid ? await ctx.store.accounts.getSession(sid) : undefined;
  const now = ctx.now();
  if (!session?.refreshHash || !secret) return { ok: false, reason: 'Unknown refresh token' };
  if (session.revokedAt !== undefined) return { ok: false, reason: 'The session has ended' };
  if (session.expiresAt < now) return { ok: false, reason: 'The session has expired; sign in again' };
  if (now - session.lastSeen > ctx.settings.idleMs) {
    await ctx.store.accounts.revokeSession(sid, now);
    return { ok: false, reason: 'The session ended after a period without activity; sign in again' };
  }
  const presented = Buffer.from(hashSecret(secret));
  if (!timingSafeEqual(presented, Buffer.from(session.refreshHash))) {
    // A refresh token that was already used: someone else holds a copy. End the session.
    await ctx.store.accounts.revokeSession(sid, now);
    return { ok: false, reason: 'Refresh token already used; the session has been ended' };
  }
  const account = session.accountId ? await ctx.store.accounts.getAccount(session.accountId) : undefined;
  if (!account || account.disabled) return { ok: false, reason: 'The account is not active' };
  const nextSecret = randomBytes(32).toString('base64url');
  const rotated = await ctx.store.accounts.rotateRefresh(sid, session.refreshHash, hashSecret(nextSecret), now);
  if (!rotated) {
    await ctx.store.accounts.revokeSession(sid, now);
    return { ok: false, reason: 'Refresh token already used; the session has been ended' };
  }
  const fhirUser = fhirUserOf(account);
  const ttl = ctx.settings.accessTokenSeconds;
  const patient = account.role === 'patient' ? account.links.patient?.replace(/^Patient\//, '') : undefined;
  return {
    ok: true,
    tokens: {
      access_token: await accessToken(ctx, session, account.role, fhirUser, ttl),
      token_type: 'Bearer',
      expires_in: ttl,
      scope: session.scope,
      refresh_token: `${sid}.${nextSecret}`,
      ...(patient ? { patient } : {}),
      ...(fhirUser ? { fhirUser } : {}),
      ...(session.mfaPending ? { mfa_enrollment_required: true } : {}),
    },
  };
}

export function sessionKind(session: Session): SessionKind {
  if (session.clientId === CLI_CLIENT) return 'cli';
  return session.clientId ? 'client' : 'interactive';
}

/** Ends the session of a refresh token if it is that session's current one; returns the session ended. */
export async function revokeRefreshToken(ctx: AuthContext, refreshToken: string): Promise<Session | undefined> {
  const [sid = '', secret = ''] = refreshToken.split('.', 2);
  const session = sid ? await ctx.store.accounts.getSession(sid) : undefined;
  if (!session?.refreshHash || !secret || session.revokedAt !== undefined) return undefined;
  if (!timingSafeEqual(Buffer.from(hashSecret(secret)), Buffer.from(session.refreshHash))) return undefined;
  await ctx.store.accounts.revokeSession(sid, ctx.now());
  return session;
}

/** The session a refresh token names (for logout with only the cookie). */
export function sessionIdOfRefreshToken(refreshToken: string): string | undefined {
  const sid = refreshToken.split('.', 1)[0];
  return sid || undefined;
}
