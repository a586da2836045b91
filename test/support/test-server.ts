// Starts the real server on a random port over a fresh database, for API tests that speak HTTP.
// Requests made with `http()` to a test server carry its system token unless they set their own
// Authorization header (an empty one sends none).
import { join } from 'node:path';
import type { AccessService } from '../../src/access/access-service.js';
import type { AuthSettings } from '../../src/access/auth/auth-context.js';
import type { ClinicClock } from '../../src/care/calendar/clinic-clock.js';
import { type AppOptions, assembleApp } from '../../src/server/assemble-app.js';
import { openStore } from '../../src/store/open-store.js';
import type { FhirRepository } from '../../src/store/repository/create-fhir-repository.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from './temp-dir.js';
import { TEST_SECRET_KEY, tokenFor } from './test-auth.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestServer {
  readonly url: string;
  readonly fhir: string;
  readonly store: Store;
  /** The unrestricted repository (for arranging data behind the API's back). */
  readonly repository: FhirRepository;
  readonly access: AccessService;
  /** The database's URL (for tests that act on it directly, as an attacker with its files would). */
  readonly databaseUrl: string;
  /** A full-access token (role system), sent by default. */
  readonly token: string;
  /** The audit log's checkpoint file. */
  readonly auditAnchorFile: string;
  /** The server's clinic clock (its zone and now): tests date their data by it. */
  readonly clock: ClinicClock;
  /** The HL7 v2 MLLP listener's port, when the server was started with one (option `mllp`). */
  readonly mllpPort: number | undefined;
  close(): Promise<void>;
}

const defaultTokens = new Map<string, string>();

/** Options for a test server (and for several sharing one database). */
export type TestServerOptions = Parameters<typeof startTestServer>[0];

export async function startTestServer(
  options: {
    authSettings?: Partial<AuthSettings>;
    authRateLimit?: number;
    apiRateLimit?: number;
    secureCookies?: boolean;
    logStream?: { write(line: string): void };
    /** Opens the test database's store (tests of failing storage open it their own way). */
    openStore?: (url: string) => Promise<Store>;
    /** The clinic's clock (a zone, a pinned now); America/New_York and the system clock by default. */
    clock?: ClinicClock;
    subscriptionDelivery?: AppOptions['subscriptionDelivery'];
    corsOrigins?: readonly string[];
    /** Listen for HL7 v2 over MLLP too (on a free port). */
    mllp?: boolean;
    /** The organization that manages the patients feeds and documents register. */
    feedOrganization?: string;
  } = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  return startServerOn(database, options, true);
}

/**
 * Several servers on one new database, each with its own store (connection pool), as separate
 * Careloop processes in front of one PostgreSQL database would be.
 */
export async function startTestServers(count: number, options: TestServerOptions = {}): Promise<TestServer[]> {
  const database = await createTestDatabase();
  const servers: TestServer[] = [];
  for (let i = 0; i < count; i++) servers.push(await startServerOn(database, options, i === count - 1));
  return servers;
}

async function startServerOn(
  database: TestDatabase,
  options: NonNullable<TestServerOptions>,
  ownsDatabase: boolean,
): Promise<TestServer> {
  const dir = makeTempDir();
  const store = await (options.openStore ?? openStore)(database.url);
  const auditAnchorFile = join(dir.path, 'careloop.audit-anchor');
  const app = await assembleApp(store, {
    auditAnchorFile,
    secretKey: TEST_SECRET_KEY,
    exportRoot: join(dir.path, 'exports'),
    version: 'test',
    jobIntervalMs: 100,
    authRateLimit: options.authRateLimit ?? 10_000,
    ...(options.apiRateLimit !== undefined ? { apiRateLimit: options.apiRateLimit } : {}),
    ...(options.secureCookies !== undefined ? { secureCookies: options.secureCookies } : {}),
    ...(options.logStream ? { logStream: options.logStream } : {}),
    ...(options.authSettings ? { authSettings: options.authSettings } : {}),
    ...(options.subscriptionDelivery ? { subscriptionDelivery: options.subscriptionDelivery } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.mllp ? { mllp: { port: 0, host: '127.0.0.1' } } : {}),
    ...(options.feedOrganization ? { feedOrganization: options.feedOrganization } : {}),
  });
  const address = await app.server.listen({ port: 0, host: '127.0.0.1' });
  const token = await tokenFor(app.access, 'system', {}, { username: 'test-system' });
  defaultTokens.set(address, token);
  return {
    url: address,
    fhir: `${address}/fhir`,
    store,
    repository: app.repository,
    access: app.access,
    databaseUrl: database.url,
    token,
    auditAnchorFile,
    clock: app.clock,
    mllpPort: app.mllp?.port,
    close: async () => {
      defaultTokens.delete(address);
      await app.close();
      await store.close();
      if (ownsDatabase) await database.drop();
      dir.remove();
    },
  };
}

export interface FhirResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

function defaultToken(url: string): string | undefined {
  for (const [base, token] of defaultTokens) if (url.startsWith(base)) return token;
  return undefined;
}

/** A small HTTP helper: JSON in, JSON out, FHIR content types. */
export async function http<T = Record<string, unknown>>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<FhirResponse<T>> {
  const token = defaultToken(url);
  const auth: Record<string, string> =
    headers.authorization === undefined && token ? { authorization: `Bearer ${token}` } : {};
  const sent = Object.fromEntries(Object.entries({ ...auth, ...headers }).filter(([, v]) => v !== ''));
  const res = await fetch(url, {
    method,
    headers: {
      accept: 'application/fhir+json',
      ...(body !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
      ...sent,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** Authorization header for a token. */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
