// The FHIR API's side of the SMART authorization server: an opaque access token it issued
// (src/access/auth/oidc/smart-provider.ts) is looked up where the provider keeps it, and becomes a
// Principal — a backend service (client credentials) or the user who approved the app, with the
// scopes granted. Unknown, expired or revoked tokens, and tokens of an app taken out of service or
// of an inactive account, are refused.
import { createHash } from 'node:crypto';
import type { Principal } from '../principal.js';
import { parseScopes } from '../scopes/smart-scopes.js';
import type { AuthContext } from './auth-context.js';
import { fhirUserOf } from './sessions.js';

/** A token oidc-provider issues as an opaque string (no JWS dots). */
export const isOpaqueToken = (token: string): boolean => !token.includes('.');

interface TokenPayload {
  readonly clientId?: string;
  readonly accountId?: string;
  readonly scope?: string;
  readonly exp?: number;
  readonly grantId?: string;
}

export async function principalOfSmartToken(
  ctx: AuthContext,
  token: string,
): Promise<{ ok: true; principal: Principal } | { ok: false; reason: string }> {
  const now = ctx.now();
  const accounts = ctx.store.accounts;
  const found =
    (await accounts.findArtifact('AccessToken', token, now)) ??
    (await accounts.findArtifact('ClientCredentials', token, now));
  const payload = found ? (JSON.parse(found.payload) as TokenPayload) : undefined;
  if (!payload?.clientId || (payload.exp !== undefined && payload.exp * 1000 <= now))
    return { ok: false, reason: 'The access token is not valid or has expired' };
  const app = await accounts.getApp(payload.clientId);
  if (!app || app.disabled) return { ok: false, reason: 'The app is no longer registered' };
  const scope = payload.scope ?? '';
  // Audit entries name the token's grant (or a digest of the token), never the token itself.
  const sessionId = `smart:${payload.grantId ?? createHash('sha256').update(token).digest('base64url').slice(0, 16)}`;
  if (!payload.accountId)
    return {
      ok: true,
      principal: {
        kind: 'client',
        id: app.id,
        name: app.name,
        role: 'system',
        scope,
        scopes: parseScopes(scope).resources,
        fhirUser: undefined,
        links: {},
        sessionId,
      },
    };
  const account = await accounts.getAccount(payload.accountId);
  if (!account || account.disabled) return { ok: false, reason: 'The account is not active' };
  const context = payload.grantId ? await accounts.findArtifact('LaunchContext', payload.grantId, now) : undefined;
  const launchPatient = context ? (JSON.parse(context.payload) as { patient?: string }).patient : undefined;
  return {
    ok: true,
    principal: {
      kind: 'user',
      id: account.id,
      name: account.username,
      role: account.role,
      scope,
      scopes: parseScopes(scope).resources,
      fhirUser: fhirUserOf(account),
      links: account.links,
      sessionId,
      app: { id: app.id, name: app.name },
      ...(launchPatient ? { launchPatient } : {}),
    },
  };
}
