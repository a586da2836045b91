// Sign-in endpoints take JSON or form-encoded bodies (OAuth token requests are form-encoded).
import type { FastifyRequest } from 'fastify';

export function bodyFields(req: FastifyRequest): Record<string, string> {
  const body = req.body;
  const out: Record<string, string> = {};
  const entries: [string, unknown][] = Array.isArray(body)
    ? (body as [string, string][])
    : typeof body === 'object' && body !== null
      ? Object.entries(body)
      : [];
  for (const [k, v] of entries) if (typeof v === 'string') out[k] = v;
  return out;
}

/** HTTP Basic credentials (RFC 7617), as OAuth clients send their id and secret. */
export function basicCredentials(req: FastifyRequest): { id: string; secret: string } | undefined {
  const header = req.headers.authorization;
  const m = header ? /^Basic\s+([A-Za-z0-9+/]+=*)$/i.exec(header.trim()) : null;
  if (!m) return undefined;
  const text = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(text.slice(0, colon)), secret: decodeURIComponent(text.slice(colon + 1)) };
}
