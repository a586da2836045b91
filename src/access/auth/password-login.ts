// Sign-in with a user name and password, a second factor where the user enrolled or their role
// requires one, and lockout after repeated failures (ONC 170.315(d)(1), (d)(13); NIST SP 800-63B
// §5.2.2 rate limiting). Answers never say whether a user name exists, except that a locked account
// is told so (the user needs to know why they cannot sign in).
import type { Account } from '../../store/account-store.js';
import { hashPassword, verifyPassword } from '../crypto/passwords.js';
import { matchTotpStep } from '../totp.js';
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
  // The attempt is counted before the password is checked, atomically: fifty guesses sent at once
  // lock the account at the fifth as fifty sent one by one do (NIST SP 800-63B §5.2.2).
  const limit = ctx.settings.lockoutAttempts;
  const attempt = await ctx.store.accounts.takeLoginAttempt(account.id, now, limit, ctx.settings.lockoutMs);
  if (!attempt.allowed) {
    return { ok: false, reason: 'locked', message: lockMessage(attempt.lockedUntil), account };
  }
  const passwordOk = await verifyPassword(account.passwordHash, input.password);
  // A code is accepted once: its time step is recorded, atomically, before it counts (RFC 6238 §5.2).
  const step =
    passwordOk && account.mfaEnabled && input.code !== undefined && account.totpSecret !== undefined
      ? matchTotpStep(ctx.box.open(account.totpSecret), input.code, now)
      : undefined;
  const secondFactorOk =
    !account.mfaEnabled || (step !== undefined && (await ctx.store.accounts.consumeTotpStep(account.id, step)));
  if (!passwordOk || (account.mfaEnabled && input.code !== undefined && !secondFactorOk)) {
    if (attempt.attempt >= limit) {
      const until = now + ctx.settings.lockoutMs;
      await ctx.store.accounts.lockAccount(account.id, until);
      return { ok: false, reason: 'locked', message: lockMessage(until), account };
    }
    return passwordOk
      ? { ok: false, reason: 'mfa-invalid', message: 'The verification code is not valid', account }
      : { ...invalid, account };
  }
  if (account.disabled) return { ok: false, reason: 'disabled', message: 'This account is disabled', account };
  // The count starts anew only once the sign-in is complete: a right password alone must not reset
  // it, or the password's holder could guess codes without end.
  if (account.mfaEnabled && input.code === undefined) {
    return { ok: false, reason: 'mfa-required', message: 'Enter the code from your authenticator app', account };
  }
  await ctx.store.accounts.updateAccount(account.id, { failedLogins: 0, lockedUntil: undefined });
  // A role that requires a second factor, for a user who has none yet: a session that can only enrol.
  const mfaPending = !account.mfaEnabled && (await mfaRequiredFor(ctx, account.role));
  const tokens = await startUserSession(ctx, account, { scope: input.scope, kind: 'interactive', mfaPending });
  return { ok: true, tokens, account };
}
