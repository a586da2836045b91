// The consent step of a SMART app launch, as the server decides it (src/access/auth/oidc/
// smart-consent.ts): what the app asks for, in words, and the user's answer. The interaction's
// cookie travels with these same-origin requests; the user's own token says who answers.
import { messageOf } from '../api/auth-client.js';
import { currentToken } from '../api/token-store.js';

export interface ConsentDetails {
  readonly uid: string;
  readonly app: string;
  readonly scopes: readonly { scope: string; words: string }[];
  /** The patients to choose from (a caregiver acting for several). */
  readonly patients: readonly { reference: string; name: string }[];
}

async function call<T>(uid: string, step: string, body?: unknown): Promise<T> {
  const token = await currentToken();
  const res = await fetch(`/auth/smart/interaction/${encodeURIComponent(uid)}/${step}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token ?? ''}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(await messageOf(res));
  return (await res.json()) as T;
}

export const loadConsent = (uid: string): Promise<ConsentDetails> => call(uid, 'details');

/** The answer; resolves to where the browser goes next (back to the app). */
export async function answerConsent(uid: string, allow: boolean, patient?: string): Promise<string> {
  const { redirectTo } = await call<{ redirectTo: string }>(uid, allow ? 'approve' : 'decline', {
    ...(patient ? { patient } : {}),
  });
  return redirectTo;
}
