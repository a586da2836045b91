// A browser app built on SMART's own JavaScript client, `fhirclient` (github.com/smart-on-fhir/
// client-js), unmodified: its published browser build is taken from the npm registry tarball and
// served, with two small pages, from a web server of its own.
//
// Why not a devDependency: fhirclient's Node entry depends on isomorphic-webcrypto, whose optional
// dependencies pull in the Expo and React Native toolchains (436 more packages, twice the `npm ci`
// time, and an install script) for a file that needs none of them. `npm pack` fetches the same
// tarball npm would install, checked against the registry's integrity and against the one pinned here.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const VERSION = '2.6.3';
const INTEGRITY = 'sha512-CirZixcwWelbkIXxpxlNQx5+ZdJirl6F1s4y4yvA1X7hHAkr9n99aVHaMi0wX+97nATjKQ65X6NB5as/wZoJzg==';
const CACHE = join(process.cwd(), 'node_modules', '.cache', 'careloop-test');

/** fhirclient's browser build (build/fhir-client.min.js), fetched once and kept in node_modules/.cache. */
export async function loadFhirClientBuild(): Promise<string> {
  const file = join(CACHE, `fhir-client-${VERSION}.min.js`);
  if (!existsSync(file)) {
    const dir = mkdtempSync(join(tmpdir(), 'fhirclient-'));
    try {
      const { stdout } = await run('npm', ['pack', `fhirclient@${VERSION}`, '--json', '--pack-destination', dir], {
        cwd: dir,
      });
      const [packed] = JSON.parse(stdout) as { integrity: string; filename: string }[];
      if (packed?.integrity !== INTEGRITY) throw new Error(`fhirclient@${VERSION} is not the tarball pinned here`);
      await run('tar', ['-xzf', join(dir, packed.filename), '-C', dir, 'package/build/fhir-client.min.js']);
      mkdirSync(CACHE, { recursive: true });
      // Renamed into place: test files running at once never read half a file.
      renameSync(join(dir, 'package/build/fhir-client.min.js'), `${file}.${process.pid}`);
      renameSync(`${file}.${process.pid}`, file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return readFileSync(file, 'utf8');
}

export interface AppConfig {
  readonly clientId: string;
  readonly scope: string;
  /** A confidential app's secret (fhirclient sends it with HTTP Basic). */
  readonly clientSecret?: string;
  /** Standalone launch: the FHIR server the app is told to use; an EHR launch brings `iss` itself. */
  readonly iss?: string;
}

export interface FhirClientAppServer {
  /** The apps' origin: http://localhost:port (a secure context, as PKCE's Web Crypto needs). */
  readonly origin: string;
  /** Where the app called `name` is sent back to (its redirect URI) and opened (its launch URI). */
  redirectUri(name: string): string;
  launchUri(name: string): string;
  /** Serves the app `name` with this configuration from now on. */
  configure(name: string, config: AppConfig): void;
  close(): Promise<void>;
}

/**
 * A web server for test apps, as an app's maker would run one: /{name}/launch.html calls
 * `FHIR.oauth2.authorize`, /{name}/app.html (the redirect URI) calls `FHIR.oauth2.ready()` and keeps
 * the client as `window.smart`. A real server on the loopback address, not a page Chromium makes up:
 * Chromium lets loopback pages, and only them, call Careloop on 127.0.0.1 (Local Network Access).
 */
export async function startFhirClientApps(build: string): Promise<FhirClientAppServer> {
  const configs = new Map<string, AppConfig>();
  const html = (script: string) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test app</title><script src="/fhir-client.min.js"></script></head><body><main id="out">Loading</main><script>${script}</script></body></html>`;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const send = (type: string, body: string, status = 200) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (path === '/fhir-client.min.js') return send('text/javascript', build);
    const [, name, page] = /^\/([a-z0-9-]+)\/(launch|app)\.html$/.exec(path) ?? [];
    const config = name ? configs.get(name) : undefined;
    if (!name || !config) return send('text/plain', 'not found', 404);
    if (page === 'launch')
      return send(
        'text/html',
        html(`FHIR.oauth2.authorize(${JSON.stringify({ ...config, redirectUri: apps.redirectUri(name) })});`),
      );
    return send(
      'text/html',
      html(
        "FHIR.oauth2.ready().then((c) => { window.smart = c; document.getElementById('out').textContent = 'Ready for ' + (c.patient.id || 'no patient'); }, (e) => { document.getElementById('out').textContent = 'Failed: ' + e.message; });",
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  const apps: FhirClientAppServer = {
    origin,
    redirectUri: (name) => `${origin}/${name}/app.html`,
    launchUri: (name) => `${origin}/${name}/launch.html`,
    configure: (name, config) => {
      configs.set(name, config);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return apps;
}
