// `careloop token --user NAME [--scope "..."]`: prints an access token for the user and nothing
// else (for scripts and curl). It lasts an hour and can be ended like any session.
import { openAccessService } from '../../access/access-service.js';
import { loadSecretKey } from '../../access/auth/secret-key.js';
import { startUserSession } from '../../access/auth/sessions.js';
import { openAuditedStore } from '../cli-audit.js';
import { option, parseArgs } from '../cli-options.js';
import { readConfig } from '../config.js';

export async function tokenCommand(args: readonly string[]): Promise<number> {
  const parsed = parseArgs(args);
  const username = option(parsed, 'user');
  if (!username) {
    console.error('usage: careloop token --user NAME [--scope "patient/*.rs ..."]');
    return 2;
  }
  const config = readConfig();
  const audited = await openAuditedStore();
  const store = audited.store;
  try {
    const access = await openAccessService(store, {
      secretKey: loadSecretKey({ secret: config.secret, keyFile: config.keyFile }),
    });
    const account = await store.accounts.getAccountByUsername(username);
    if (!account || account.disabled) {
      console.error(`No active user named ${username}`);
      return 1;
    }
    const tokens = await startUserSession(access.auth, account, { scope: option(parsed, 'scope'), kind: 'cli' });
    await audited.record({
      command: `careloop token --user ${account.username}`,
      action: 'E',
      exitCode: 0,
      detail: `access token minted for ${account.username} (${account.role}), scope ${tokens.scope}`,
    });
    process.stdout.write(`${tokens.access_token}\n`);
    return 0;
  } finally {
    await audited.close();
  }
}
