// A test server holding the demo organization, and sign-in as its users: the attack tests run
// against the same data a first `npm start` shows.
import { DEMO_PASSWORD, seedDemoIfEmpty } from '../../src/cli/demo/seed-demo.js';
import { http, startTestServer, type TestServer } from '../support/test-server.js';

export const HAROLD = 'demo-harold-brennan';
export const ROSA = 'demo-rosa-delgado';
export const WALTER = 'demo-walter-kim';
export const GLORIA = 'demo-gloria-mensah';
export const ARTHUR = 'demo-arthur-lindqvist';
export const NADIA = 'demo-nadia-petrov';
export const OLIVER = 'demo-oliver-grant';
export const ALL_PATIENTS = [HAROLD, ROSA, WALTER, GLORIA, ARTHUR, NADIA, OLIVER];

export async function startDemoServer(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(options);
  await seedDemoIfEmpty(server.store, server.repository, server.clock);
  return server;
}

export interface Login {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly patient?: string;
}

export async function login(server: TestServer, username: string, password = DEMO_PASSWORD, code?: string) {
  return http<Login & { error?: string; error_description?: string }>(
    'POST',
    `${server.url}/auth/login`,
    { username, password, ...(code ? { code } : {}) },
    { authorization: '', 'content-type': 'application/json' },
  );
}

export async function tokenOf(server: TestServer, username: string): Promise<string> {
  const res = await login(server, username);
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`);
  return res.body.access_token;
}

/** What only a patient's own records contain: their family name and phone number. */
const MARKERS: Record<string, readonly string[]> = {
  [HAROLD]: ['Harold', '555-0101'],
  [ROSA]: ['Delgado', '555-0102'],
  [WALTER]: ['Walter', '555-0103'],
  [GLORIA]: ['Mensah', '555-0104'],
  [ARTHUR]: ['Lindqvist', '555-0105'],
  [NADIA]: ['Petrov', '555-0106'],
  [OLIVER]: ['Oliver', '555-0107'],
};

/**
 * The patients whose data a response body shows: their names or phone numbers, or their ids
 * anywhere but in the echo of the request (the self link and a not-found message may repeat the
 * id the client asked for; that discloses nothing) and in references from the reader's own records.
 */
export function patientsIn(text: string, requested = ''): string[] {
  const body = text
    .replace(/"url":"[^"]*"/g, '"url":""')
    // A reference in one's own record (a message to another patient) says nothing of theirs.
    .replace(/"reference":"Patient\/[^"]*"/g, '"reference":""')
    .replace(/"diagnostics":"[^"]*not found[^"]*"/g, '"diagnostics":""');
  return ALL_PATIENTS.filter(
    (p) => (MARKERS[p] ?? []).some((m) => body.includes(m)) || (body.includes(p) && !requested.includes(p)),
  );
}
