// The access token lives in memory only (never in storage a script could read later); the refresh
// token stays in the server's HttpOnly cookie. Refreshes are single-flight: the server rotates the
// refresh token on each use and ends the session if an old one is presented again, so two requests
// that find the token expired at once must share one refresh.
import { refreshSession, type TokenResponse } from './auth-client.js';

let accessToken: string | undefined;
let expiresAt = 0;
let refreshing: Promise<string | undefined> | undefined;

export function storeTokens(tokens: TokenResponse): void {
  accessToken = tokens.access_token;
  // Renew a little before the server would refuse it.
  expiresAt = Date.now() + Math.max(0, tokens.expires_in - 20) * 1000;
}

export function clearTokens(): void {
  accessToken = undefined;
  expiresAt = 0;
}

/** A fresh access token, refreshing through the cookie if needed; undefined when signed out. */
export async function currentToken(forceRefresh = false): Promise<string | undefined> {
  if (accessToken && !forceRefresh && Date.now() < expiresAt) return accessToken;
  refreshing ??= refreshSession()
    .then((tokens) => {
      if (tokens) storeTokens(tokens);
      else clearTokens();
      return tokens?.access_token;
    })
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}
