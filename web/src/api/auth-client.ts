// The server's sign-in endpoints (/auth/*), as the web app uses them.
export interface TokenResponse {
  readonly access_token: string;
  readonly expires_in: number;
  readonly scope: string;
  readonly patient?: string;
  readonly fhirUser?: string;
  readonly mfa_enrollment_required?: boolean;
}

export interface Me {
  readonly kind: 'user' | 'client';
  readonly name: string;
  readonly role: string;
  readonly fhirUser?: string;
  readonly patient?: string;
  /** `Patient/<id>` references the user may open, or 'all'. */
  readonly patients: 'all' | readonly string[];
  readonly idleSeconds: number;
  /** The clinic's IANA time zone (CARELOOP_TIMEZONE). */
  readonly timeZone?: string;
}

export type LoginResult =
  | { readonly ok: true; readonly tokens: TokenResponse }
  | { readonly ok: false; readonly mfaRequired: boolean; readonly message: string };

async function messageOf(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as {
      error_description?: string;
      issue?: { diagnostics?: string; details?: { text?: string } }[];
    };
    return (
      body.error_description ??
      body.issue?.[0]?.details?.text ??
      body.issue?.[0]?.diagnostics ??
      `The server answered ${res.status}`
    );
  } catch {
    return `The server answered ${res.status}`;
  }
}

export async function login(username: string, password: string, code?: string): Promise<LoginResult> {
  const res = await fetch('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ username, password, ...(code ? { code } : {}) }),
  });
  if (res.ok) return { ok: true, tokens: (await res.json()) as TokenResponse };
  const message = await messageOf(res.clone());
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  return { ok: false, mfaRequired: body.error === 'mfa_required', message };
}

/** New tokens from the refresh cookie, or undefined when there is no live session. */
export async function refreshSession(): Promise<TokenResponse | undefined> {
  const res = await fetch('/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    credentials: 'same-origin',
    body: 'grant_type=refresh_token',
  });
  return res.ok ? ((await res.json()) as TokenResponse) : undefined;
}

export async function fetchMe(token: string): Promise<Me | undefined> {
  const res = await fetch('/auth/me', { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) return undefined;
  return (await res.json()) as Me;
}

export async function logout(token: string | undefined): Promise<void> {
  if (token) await fetch('/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  // Ends the session even when the access token had already expired.
  await fetch('/auth/revoke', { method: 'POST', credentials: 'same-origin' });
}

export { messageOf };
