// Cross-origin calls from browsers (CORS). Two kinds of origin:
// - those an operator lists in CARELOOP_CORS_ORIGINS: trusted front ends, with credentials (cookies);
// - a registered SMART app's own origin (src/access/auth/app-origins.ts), for the FHIR API and its
//   SMART configuration only, without credentials: the app proves itself with its bearer token,
//   never with the user's Careloop cookies.
// The SMART authorization endpoints (/auth/smart) answer CORS themselves (oidc-provider's
// clientBasedCORS: the app's registered origins at the token endpoint).
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const EXPOSED = ['ETag', 'Location', 'Content-Location', 'Last-Modified'];

export async function installCors(
  app: FastifyInstance,
  options: { readonly trusted: readonly string[]; readonly isAppOrigin: (origin: string) => Promise<boolean> },
): Promise<void> {
  const trusted = new Set(options.trusted);
  const forApps = (req: FastifyRequest) => /^\/fhir(\/|\?|$)/.test(req.url);
  await app.register(cors, {
    delegator: (req, done) => {
      const origin = req.headers.origin;
      if (!origin) return done(null, { origin: false });
      if (trusted.has(origin)) return done(null, { origin, credentials: true, exposedHeaders: EXPOSED });
      if (!forApps(req)) return done(null, { origin: false });
      options.isAppOrigin(origin).then(
        (allowed) =>
          done(
            null,
            allowed ? { origin, credentials: false, exposedHeaders: EXPOSED, maxAge: 600 } : { origin: false },
          ),
        (err: Error) => done(err),
      );
    },
  });
}
