// Careloop's own JSON endpoints outside the FHIR API (/auth/...: the administrator's, the SMART
// consent step's), with the signed-in user's token; a refusal becomes an Error in words.
import { messageOf } from './auth-client.js';
import { currentToken } from './token-store.js';

export async function authRequest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = await currentToken();
  const res = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${token ?? ''}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(await messageOf(res));
  return (res.status === 204 ? undefined : await res.json()) as T;
}
