// The refresh token travels to the web app in an HttpOnly cookie scoped to /auth, so page scripts
// never see it; API clients get it in the token response body instead.
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const REFRESH_COOKIE = 'careloop_refresh';

/**
 * `secure`: Careloop's public URL is https (CARELOOP_PUBLIC_URL), so the cookie is Secure even when
 * a TLS-terminating proxy hands the request on over plain http.
 */
export function setRefreshCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  token: string,
  maxAgeSeconds: number,
  secure: boolean,
): void {
  reply.setCookie(REFRESH_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: secure || req.protocol === 'https',
    path: '/auth',
    maxAge: maxAgeSeconds,
  });
}

export function clearRefreshCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(REFRESH_COOKIE, { path: '/auth', httpOnly: true, sameSite: 'strict', secure });
}

export function refreshCookie(req: FastifyRequest): string | undefined {
  return req.cookies?.[REFRESH_COOKIE] || undefined;
}
