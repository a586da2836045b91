// From a bearer token to a Principal. The token's signature, issuer and expiry are checked, then the
// session behind it: revoked, expired or (for interactive sessions) idle past the limit means 401.
// Sessions are cached for a moment so a busy client does not cost a database read per request;
// this server's own revocations clear the cache at once, other servers' within SESSION_CACHE_MS.
import type { Account, Session } from '../../store/account-store.js';
import type { Principal } from '../principal.js';
import { parseScopes } from '../scopes/smart-scopes.js';
import type { AuthContext } from './auth-context.js';
import { CLI_CLIENT, sessionKind } from './sessions.js';
import { isOpaqueToken, principalOfSmartToken } from './smart-tokens.js';

const SESSION_CACHE_MS = 2_000;
/** Activity is written to the database at most this often per session. */
const TOUCH_EVERY_MS = 30_000;
const MAX_CACHED = 10_000;

export type AuthResult = { ok: true; principal: Principal; mfaPending: boolean } | { ok: false; reason: string };

interface CachedSession {
  session: Session;
  account: Account | undefined;
  clientName: string | undefined;
  fetchedAt: number;
  /** Latest activity seen by this server. */
  lastSeen: number;
  touchedAt: number;
}

export interface Authenticator {
  authenticate(token: string): Promise<AuthResult>;
  /** Drops what this server cached about a session (after logout or revocation). */
  forget(sessionId: string): void;
  forgetAll(): void;
}

export function createAuthenticator(ctx: AuthContext): Authenticator {
  const cache = new Map<string, CachedSession>();
  /** Tokens whose signature was checked, until they expire (a signature check costs more than the rest). */
  const verified = new Map<string, Awaited<ReturnType<AuthContext['signer']['verify']>>>();

  async function verify(token: string): Promise<Awaited<ReturnType<AuthContext['signer']['verify']>>> {
    const hit = verified.get(token);
    if (hit && hit.exp * 1000 > ctx.now()) return hit;
    if (hit) verified.delete(token);
    const claims = await ctx.signer.verify(token);
    if (verified.size >= MAX_CACHED) verified.clear();
    verified.set(token, claims);
    return claims;
  }

  async function load(sid: string, now: number): Promise<CachedSession | undefined> {
    const hit = cache.get(sid);
    if (hit && now - hit.fetchedAt < SESSION_CACHE_MS) return hit;
    const session = await ctx.store.accounts.getSession(sid);
    if (!session) return undefined;
    const account = session.accountId ? await ctx.store.accounts.getAccount(session.accountId) : undefined;
    const client =
      session.clientId && session.clientId !== CLI_CLIENT
        ? await ctx.store.accounts.getClient(session.clientId)
        : undefined;
    const lastSeen = Math.max(session.lastSeen, hit?.lastSeen ?? 0);
    const entry: CachedSession = {
      session,
      account,
      clientName: client?.name,
      fetchedAt: now,
      lastSeen,
      touchedAt: hit?.touchedAt ?? session.lastSeen,
    };
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(sid, entry);
    return entry;
  }

  return {
    forget: (sid) => cache.delete(sid),
    forgetAll: () => cache.clear(),
    authenticate: async (token) => {
      if (isOpaqueToken(token)) {
        const smart = await principalOfSmartToken(ctx, token);
        return smart.ok ? { ok: true, principal: smart.principal, mfaPending: false } : smart;
      }
      let claims: Awaited<ReturnType<AuthContext['signer']['verify']>>;
      try {
        claims = await verify(token);
      } catch {
        return { ok: false, reason: 'The access token is not valid or has expired' };
      }
      const now = ctx.now();
      const entry = await load(claims.sid, now);
      const session = entry?.session;
      if (!entry || !session || session.revokedAt !== undefined) return { ok: false, reason: 'The session has ended' };
      if (session.expiresAt < now) return { ok: false, reason: 'The session has expired' };
      const kind = sessionKind(session);
      if (kind === 'interactive' && now - entry.lastSeen > ctx.settings.idleMs) {
        await ctx.store.accounts.revokeSession(session.id, now);
        cache.delete(session.id);
        return {
          ok: false,
          reason: `The session ended after ${Math.round(ctx.settings.idleMs / 60_000)} minutes without activity; sign in again`,
        };
      }
      if (kind !== 'client' && (!entry.account || entry.account.disabled)) {
        return { ok: false, reason: 'The account is not active' };
      }
      entry.lastSeen = now;
      if (kind === 'interactive' && now - entry.touchedAt > TOUCH_EVERY_MS) {
        entry.touchedAt = now;
        await ctx.store.accounts.touchSession(session.id, now);
      }
      const account = entry.account;
      const principal: Principal =
        kind === 'client'
          ? {
              kind: 'client',
              id: session.clientId ?? '',
              name: entry.clientName ?? session.clientId ?? '',
              role: 'system',
              scope: session.scope,
              scopes: parseScopes(session.scope).resources,
              fhirUser: undefined,
              links: {},
              sessionId: session.id,
            }
          : {
              kind: 'user',
              id: account?.id ?? '',
              name: account?.username ?? '',
              role: account?.role ?? 'patient',
              scope: session.scope,
              scopes: parseScopes(session.scope).resources,
              fhirUser: claims.fhirUser,
              links: account?.links ?? {},
              sessionId: session.id,
            };
      return { ok: true, principal, mfaPending: session.mfaPending };
    },
  };
}
