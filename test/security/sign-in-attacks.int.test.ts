// Sign-in that resists guessing, written as the attacks that got through: parallel password guesses
// that never locked the account, a one-time code used twice, user names that differ only in case or
// Unicode form, refresh cookies sent over plain http behind an https proxy, and one client flooding
// the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginMfaEnrolment, confirmMfaEnrolment } from '../../src/access/auth/mfa.js';
import { addUser } from '../../src/access/auth/users.js';
import { totpCode } from '../../src/access/totp.js';
import { readConfig } from '../../src/cli/config.js';
import { bearer, http, startTestServer, type TestServer } from '../support/test-server.js';
import { login } from './demo-server.js';

let server: TestServer;
const PASSWORD = 'a-long-enough-password';
let counter = 0;

beforeAll(async () => {
  server = await startTestServer({ apiRateLimit: 30 });
});
afterAll(async () => {
  await server.close();
});

async function newUser(name = `user${process.pid}x${++counter}`): Promise<string> {
  const result = await addUser(server.access.auth, {
    username: name,
    password: PASSWORD,
    role: 'admin',
    links: {},
  });
  if (!result.ok) throw new Error(result.message);
  return result.account.username;
}

describe('password guessing in parallel', () => {
  it.each([20, 50])(
    '%i simultaneous wrong passwords lock the account at the fifth; the right one is then refused',
    async (n) => {
      const username = await newUser();
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) => login(server, username, `wrong-guess-number-${i}`)),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.every((s) => s === 401 || s === 423)).toBe(true);
      // At most five guesses were checked at all: the rest were refused as locked without a check.
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4);
      const right = await login(server, username, PASSWORD);
      expect(right.status).toBe(423);
      expect(right.text).not.toContain('access_token');
    },
  );

  it('a right password among parallel guesses gets in only if it is among the first five', async () => {
    const username = await newUser();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login(server, username, i === 29 ? PASSWORD : `wrong-guess-number-${i}`)),
    );
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.status === 401 || r.status === 200).length).toBeLessThanOrEqual(5);
  });
});

describe('a one-time code', () => {
  it('signs in once: the same code a second time is refused', async () => {
    const username = await newUser();
    const account = await server.store.accounts.getAccountByUsername(username);
    if (!account) throw new Error('no account');
    const { secret } = await beginMfaEnrolment(server.access.auth, account);
    const enrolled = await server.store.accounts.getAccount(account.id);
    expect(await confirmMfaEnrolment(server.access.auth, enrolled ?? account, totpCode(secret, Date.now()))).toBe(true);
    // The confirmation's code cannot be replayed to sign in...
    const replayedConfirmation = await login(server, username, PASSWORD, totpCode(secret, Date.now()));
    expect(replayedConfirmation.status).toBe(401);
    // ...and the next code works once, not twice, nor twice at the same moment.
    const next = totpCode(secret, Date.now() + 30_000);
    const first = await login(server, username, PASSWORD, next);
    expect(first.status).toBe(200);
    const again = await login(server, username, PASSWORD, next);
    expect(again.status).toBe(401);
    const later = totpCode(secret, Date.now() + 30_000);
    expect(later).toBe(next);
  });

  it('two sign-ins racing with one code: one gets in', async () => {
    const username = await newUser();
    const account = await server.store.accounts.getAccountByUsername(username);
    if (!account) throw new Error('no account');
    const { secret } = await beginMfaEnrolment(server.access.auth, account);
    const enrolled = await server.store.accounts.getAccount(account.id);
    await confirmMfaEnrolment(server.access.auth, enrolled ?? account, totpCode(secret, Date.now() - 30_000));
    const code = totpCode(secret, Date.now());
    const results = await Promise.all(Array.from({ length: 4 }, () => login(server, username, PASSWORD, code)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });
});

describe('user names', () => {
  it('are unique regardless of case and Unicode normalization (NFKC)', async () => {
    const base = `maria${process.pid}`;
    await newUser(base);
    for (const variant of [base.toUpperCase(), `Maria${process.pid}`, `ｍａｒｉａ${process.pid}`]) {
      const result = await addUser(server.access.auth, {
        username: variant,
        password: PASSWORD,
        role: 'admin',
        links: {},
      });
      expect(result.ok, variant).toBe(false);
    }
    await newUser(`straße${process.pid}`);
    const folded = await addUser(server.access.auth, {
      username: `STRASSE${process.pid}`,
      password: PASSWORD,
      role: 'admin',
      links: {},
    });
    expect(folded.ok).toBe(false);
    // Created together, one wins.
    const racing = await Promise.all(
      [`ana${process.pid}`, `ANA${process.pid}`, `Ana${process.pid}`].map((username) =>
        addUser(server.access.auth, { username, password: PASSWORD, role: 'admin', links: {} }),
      ),
    );
    expect(racing.filter((r) => r.ok)).toHaveLength(1);
    // One signs in under any of its forms.
    expect((await login(server, base.toUpperCase(), PASSWORD)).status).toBe(200);
  });
});

describe('cookies', () => {
  it('are Secure when Careloop is served over https (CARELOOP_PUBLIC_URL)', async () => {
    const plain = await login(server, await newUser(), PASSWORD);
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/);
    const behindProxy = await startTestServer({ secureCookies: true });
    try {
      const result = await addUser(behindProxy.access.auth, {
        username: 'proxied',
        password: PASSWORD,
        role: 'admin',
        links: {},
      });
      expect(result.ok).toBe(true);
      const res = await login(behindProxy, 'proxied', PASSWORD);
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
      expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/);
    } finally {
      await behindProxy.close();
    }
    const config = readConfig({ CARELOOP_PUBLIC_URL: 'https://care.example.org/' });
    expect(config.publicUrl).toBe('https://care.example.org');
    expect(config.baseUrl).toBe('https://care.example.org/fhir');
    expect(() => readConfig({ CARELOOP_PUBLIC_URL: 'care.example.org' })).toThrow(/CARELOOP_PUBLIC_URL/);
  });
});

describe('the API rate limit', () => {
  it('answers 429 with Retry-After to one user past the limit, and not to another', async () => {
    const one = bearer((await login(server, await newUser(), PASSWORD)).body.access_token);
    const other = bearer((await login(server, await newUser(), PASSWORD)).body.access_token);
    const statuses = [];
    for (let i = 0; i < 35; i++)
      statuses.push((await http('GET', `${server.fhir}/Organization`, undefined, one)).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    const limited = await http('GET', `${server.fhir}/Organization`, undefined, one);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(limited.text).toContain('30 a minute');
    expect((await http('GET', `${server.fhir}/Organization`, undefined, other)).status).toBe(200);
    expect(readConfig({ CARELOOP_API_RATE_LIMIT: '0' }).apiRateLimit).toBe(0);
  });
});
