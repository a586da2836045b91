// Sign-in with a user name and password, a second factor where the user enrolled or their role
// requires one, and lockout after repeated failures (ONC 170.315(d)(1), (d)(13); NIST SP 800-63B
// §5.2.2 rate limiting). Answers never say whether a user name exists, except that a locked account
// is told so (the user needs to know why they cannot sign in).
import type { Account } from '../../store/account-store.js';
import { hashPassword, verifyPassword } from '../crypto/passwords.js';
import { verifyTotp } from '../totp.js';
import type { AuthContext } from './auth-context.js';
import { mfaRequiredFor } from './mfa.js';
import { startUserSession, type TokenResponse } from './sessions.js';

export type LoginResult =
  | { ok: true; tokens: TokenResponse; account: Account }
  | {
      ok: false;
      reason: 'invalid' | 'locked' | 'mfa-required' | 'mfa-invalid' | 'disabled';
      message: string;
      account?: Account;
    };

let dummyHash: Promise<string> | undefined;

/** Spends the time a real check would, so that unknown user names cannot be told apart by timing. */
async function spendVerifyTime(password: string): Promise<void> {
  dummyHash ??= hashPassword('careloop-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}

function lockMessage(until: number): string {
  return `This account is locked after too many failed sign-in attempts. Try again after ${new Date(until).toISOString().slice(11, 16)} UTC, or ask an administrator to unlock it.`;
}

export async function passwordLogin(
  ctx: AuthContext,
  input: { username: string; password: string; code?: string | undefined; scope?: string | undefined },
): Promise<LoginResult> {
  const invalid = { ok: false as const, reason: 'invalid' as const, message: 'Invalid user name or password' };
  const account = await ctx.store.accounts.getAccountByUsername(input.username);
  const now = ctx.now();
  if (!account) {
    await spendVerifyTime(input.password);
    return invalid;
  }
  if (account.lockedUntil !== undefined && account.lockedUntil > now) {
    return { ok: false, reason: 'locked', message: lockMessage(account.lockedUntil), account };
  }
  const passwordOk = await verifyPassword(account.passwordHash, input.password);
  const secondFactorOk =
    !account.mfaEnabled ||
    (input.code !== undefined &&
      account.totpSecret !== undefined &&
      verifyTotp(ctx.box.open(account.totpSecret), input.code, now));
  if (!passwordOk || (account.mfaEnabled && input.code !== undefined && !secondFactorOk)) {
    const failures = account.failedLogins + 1;
    const lock = failures >= ctx.settings.lockoutAttempts;
    await ctx.store.accounts.updateAccount(account.id, {
      failedLogins: lock ? 0 : failures,
      lockedUntil: lock ? now + ctx.settings.lockoutMs : undefined,
    });
    if (lock) return { ok: false, reason: 'locked', message: lockMessage(now + ctx.settings.lockoutMs), account };
    return passwordOk
      ? { ok: false, reason: 'mfa-invalid', message: 'The verification code is not valid', account }
      : { ...invalid, account };
  }
  if (account.disabled) return { ok: false, reason: 'disabled', message: 'This account is disabled', account };
  if (account.mfaEnabled && input.code === undefined) {
    return { ok: false, reason: 'mfa-required', message: 'Enter the code from your authenticator app', account };
  }
  if (account.failedLogins > 0 || account.lockedUntil !== undefined) {
    await ctx.store.accounts.updateAccount(account.id, { failedLogins: 0, lockedUntil: undefined });
  }
  // A role that requires a second factor, for a user who has none yet: a session that can only enrol.
  const mfaPending = !account.mfaEnabled && (await mfaRequiredFor(ctx, account.role));
  const tokens = await startUserSession(ctx, account, { scope: input.scope, kind: 'interactive', mfaPending });
  return { ok: true, tokens, account };
}
