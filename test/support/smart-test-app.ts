// What the SMART tests do as an app's maker and as the app: register it (stored as `careloop app
// add` would), make a PKCE pair, build an authorize URL, and exchange a code at the token endpoint.
import { createHash, randomBytes } from 'node:crypto';
import { type AppRegistration, registerApp } from '../../src/access/auth/smart-apps.js';
import type { SmartApp } from '../../src/store/account-store.js';
import type { TestServer } from './test-server.js';

/** Registers and stores an app; its secret when it has one. */
export async function registerTestApp(
  server: Pick<TestServer, 'access' | 'store'>,
  input: AppRegistration,
): Promise<{ app: SmartApp; secret: string | undefined }> {
  const registered = registerApp(server.access.auth, input);
  if (!registered.ok) throw new Error(registered.problems.join('; '));
  await server.store.accounts.createApp(registered.app);
  return { app: registered.app, secret: registered.secret };
}

export const newVerifier = (): string => randomBytes(32).toString('base64url');
export const challengeOf = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

/** /auth/smart/authorize with these parameters (PKCE S256 by default). */
export function authorizeUrl(server: Pick<TestServer, 'url'>, params: Record<string, string | undefined>): string {
  const url = new URL(`${server.url}/auth/smart/authorize`);
  for (const [k, v] of Object.entries({ response_type: 'code', code_challenge_method: 'S256', ...params }))
    if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** The app's code exchange (a public app: its client id and PKCE verifier). */
export async function exchangeCode(
  server: Pick<TestServer, 'url'>,
  input: { code: string; verifier: string; clientId: string; redirectUri: string },
): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`${server.url}/auth/smart/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: input.code,
      redirect_uri: input.redirectUri,
      client_id: input.clientId,
      code_verifier: input.verifier,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}
