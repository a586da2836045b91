// A per-user and per-client rate limit on the API, so that one runaway client (a script in a loop,
// a misconfigured feed) cannot starve everyone else of the server. Counted per account or backend
// client, not per address: many users share a clinic's address, and one user may move between
// addresses. Sign-in has its own per-address limit (auth-routes.ts).
import type { FastifyInstance } from 'fastify';
import { OutcomeError } from '../../fhir/outcome.js';

/**
 * The default: 6,000 a minute (100 a second) for one user or client, well above what a person in
 * the web app or an EHR feed sends and far below what a loop can.
 */
export const DEFAULT_API_RATE_LIMIT = 6_000;

/** Requests per minute for each user or client; 0 turns the limit off. */
export function installApiRateLimit(app: FastifyInstance, perMinute: number): void {
  if (perMinute <= 0) return;
  const check = app.createRateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => `${req.principal?.kind ?? 'anonymous'}:${req.principal?.id ?? req.ip}`,
  });
  app.addHook('onRequest', async (req) => {
    if (!req.principal) return;
    const result = await check(req);
    if (result.isAllowed || !result.isExceeded) return;
    const retry = String(Math.max(1, result.ttlInSeconds));
    throw new OutcomeError(
      'throttled',
      `Too many requests: at most ${perMinute} a minute for each user or client. Retry after ${retry} seconds.`,
      { status: 429, headers: { 'Retry-After': retry } },
    );
  });
}
