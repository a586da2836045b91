// Runs `careloop serve` as a separate process (for tests that kill it or run several servers).
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { openStore } from '../../src/store/open-store.js';
import { systemToken, TEST_SECRET } from './test-auth.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface SpawnedServer {
  readonly url: string;
  readonly process: ChildProcess;
  /** A full-access token (a `system` user) for the server's database. */
  readonly token: string;
  /** fetch with the token. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Tokens are signed with the database's key, sealed with TEST_SECRET: the test can make its own. */
async function tokenForDatabase(database: string): Promise<string> {
  const store = await openStore(database);
  try {
    return await systemToken(store);
  } finally {
    await store.close();
  }
}

export async function spawnServer(env: Record<string, string>): Promise<SpawnedServer> {
  const port = await freePort();
  const child = spawn('node', ['bin/careloop.mjs', 'serve'], {
    env: {
      ...process.env,
      CARELOOP_DEMO: '0',
      CARELOOP_SECRET: TEST_SECRET,
      // Several servers side by side: none takes the ADT feed's default port unless asked to.
      CARELOOP_MLLP_PORT: '0',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const token = await tokenForDatabase(env.CARELOOP_DB ?? './data/careloop.db');
  return {
    url,
    process: child,
    token,
    fetch: (target, init = {}) =>
      fetch(target, {
        ...init,
        headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` },
      }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
}
