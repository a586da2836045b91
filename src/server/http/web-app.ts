// Serves the web app (web/, built by Vite into web/dist) from the Careloop server itself, so that
// `npm start` is the only command. The app's pages all answer with index.html (the app routes in the
// browser); its assets are read once at start and served from memory with long caching, since their
// names carry a content hash. Nothing here holds health data: these routes are public and the app
// reads everything through the FHIR API with the user's own token.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The default build folder: web/dist at the package root. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Paths the web app routes in the browser (web/src/shell/routes.ts lists the same). */
/**
 * The app's pages, answered with the app: the one table the web app's router also reads
 * (web/src/shell/page-paths.json), so a new page is added in one place.
 */
export const WEB_APP_PATHS: readonly string[] = Object.values(
  (
    JSON.parse(readFileSync(new URL('../../../web/src/shell/page-paths.json', import.meta.url), 'utf8')) as {
      pages: Record<string, string>;
    }
  ).pages,
);

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

// Scripts only from this server; Mantine sets CSS variables in style attributes and elements, hence
// 'unsafe-inline' for styles only. The app talks to its own origin and nothing else.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Careloop</title></head>
<body><main><h1>Careloop</h1><p>The web app is not built. Run <code>npm run build:web</code> (or <code>npm start</code>,
which builds it), then reload. The FHIR API is at <a href="/fhir/metadata">/fhir</a>.</p></main></body></html>`;

function readAssets(root: string): Map<string, Buffer> {
  const assets = new Map<string, Buffer>();
  const dir = join(root, 'assets');
  if (!existsSync(dir)) return assets;
  for (const name of readdirSync(dir)) assets.set(name, readFileSync(join(dir, name)));
  return assets;
}

export function registerWebApp(app: FastifyInstance, root: string = DEFAULT_WEB_ROOT): void {
  const indexFile = join(root, 'index.html');
  const index = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : NOT_BUILT;
  const assets = readAssets(root);
  const sendIndex = (reply: FastifyReply) =>
    reply
      .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
      .header('Cache-Control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(index);

  for (const path of WEB_APP_PATHS)
    app.get(path, { config: { public: true } }, async (_req, reply) => sendIndex(reply));

  // Only names found in the build folder at start are served: no path from the request reaches the file system.
  app.get<{ Params: { name: string } }>('/assets/:name', { config: { public: true } }, async (req, reply) => {
    const body = assets.get(req.params.name);
    if (!body) return reply.callNotFound();
    return reply
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .type(TYPES[extname(req.params.name)] ?? 'application/octet-stream')
      .send(body);
  });
}
