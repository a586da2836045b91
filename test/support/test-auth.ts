// Users and tokens for tests: a real account and session, signed like any other, so API tests go
// through the same authentication and access checks as everyone else.
import { createHash } from 'node:crypto';
import { type AccessService, openAccessService } from '../../src/access/access-service.js';
import { startUserSession } from '../../src/access/auth/sessions.js';
import { addUser } from '../../src/access/auth/users.js';
import type { AccountLinks, Role } from '../../src/store/account-store.js';
import type { Store } from '../../src/store/store.js';

/** The secret spawned test servers run with (CARELOOP_SECRET), so tests can sign their tokens. */
export const TEST_SECRET = 'careloop-test-secret';
export const TEST_SECRET_KEY = createHash('sha256').update(TEST_SECRET).digest();
export const TEST_PASSWORD = 'test-password-123';

let counter = 0;

/** Creates a user (a unique name unless given) and returns a token for them. */
export async function tokenFor(
  access: AccessService,
  role: Role,
  links: AccountLinks = {},
  options: { username?: string; scope?: string } = {},
): Promise<string> {
  const username = options.username ?? `${role}-${process.pid}-${++counter}`;
  let account = await access.auth.store.accounts.getAccountByUsername(username);
  if (!account) account = await createOrFind(access, username, role, links);
  const tokens = await startUserSession(access.auth, account, { scope: options.scope, kind: 'cli' });
  return tokens.access_token;
}

/** Tests that start several servers at once race to create the same named user: the loser uses the winner's. */
async function createOrFind(access: AccessService, username: string, role: Role, links: AccountLinks) {
  try {
    const result = await addUser(access.auth, { username, password: TEST_PASSWORD, role, links });
    if (!result.ok) throw new Error(result.message);
    return result.account;
  } catch (err) {
    const existing = await access.auth.store.accounts.getAccountByUsername(username);
    if (existing) return existing;
    throw err;
  }
}

/** A token with full access (a `system` user), for tests that are not about access. */
export async function systemToken(store: Store): Promise<string> {
  const access = await openAccessService(store, { secretKey: TEST_SECRET_KEY });
  return tokenFor(access, 'system', {}, { username: 'test-system' });
}
