// OAuth clients for backend systems (an EHR sending admissions and discharges): the client
// credentials grant with a shared secret (RFC 6749 §4.4; SMART's client-confidential-symmetric).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { OAuthClient } from '../../store/account-store.js';
import { newResourceId } from '../../store/ids/new-resource-id.js';
import { parseResourceScope } from '../scopes/smart-scopes.js';
import type { AuthContext } from './auth-context.js';
import { startClientSession, type TokenResponse } from './sessions.js';

const hash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export async function addClient(
  ctx: Pick<AuthContext, 'store' | 'now'>,
  input: { name: string; scope?: string },
): Promise<{ ok: true; id: string; secret: string } | { ok: false; message: string }> {
  const scope = input.scope ?? 'system/*.cruds';
  const parsed = parseResourceScope(scope);
  if (parsed?.context !== 'system' || parsed.type !== '*') {
    return { ok: false, message: 'A client scope is one system/*.<interactions> scope, e.g. system/*.cruds' };
  }
  const id = newResourceId();
  const secret = randomBytes(32).toString('base64url');
  const client: OAuthClient = {
    id,
    secretHash: hash(secret),
    name: input.name,
    scope,
    disabled: false,
    createdAt: ctx.now(),
  };
  await ctx.store.accounts.createClient(client);
  return { ok: true, id, secret };
}

export async function clientCredentialsGrant(
  ctx: AuthContext,
  input: { clientId: string; clientSecret: string; scope?: string | undefined },
): Promise<{ ok: true; tokens: TokenResponse; client: OAuthClient } | { ok: false; message: string }> {
  const client = await ctx.store.accounts.getClient(input.clientId);
  const presented = Buffer.from(hash(input.clientSecret));
  if (!client || client.disabled || !timingSafeEqual(presented, Buffer.from(client.secretHash))) {
    return { ok: false, message: 'Unknown client or wrong secret' };
  }
  return { ok: true, tokens: await startClientSession(ctx, client, input.scope), client };
}
