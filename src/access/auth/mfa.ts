// TOTP multi-factor authentication (ONC 170.315(d)(13)): a user enrols by scanning a secret into an
// authenticator app and confirming one code; an administrator can require it for whole roles.
import type { Account, Role } from '../../store/account-store.js';
import { matchTotpStep, newTotpSecret, otpauthUri } from '../totp.js';
import type { AuthContext } from './auth-context.js';

const REQUIRED_ROLES = 'mfa-required-roles';

export async function mfaRequiredRoles(ctx: Pick<AuthContext, 'store'>): Promise<Role[]> {
  const stored = await ctx.store.accounts.getSetting(REQUIRED_ROLES);
  return stored ? (JSON.parse(stored) as Role[]) : [];
}

export async function setMfaRequiredRoles(ctx: Pick<AuthContext, 'store'>, roles: readonly Role[]): Promise<void> {
  await ctx.store.accounts.setSetting(REQUIRED_ROLES, JSON.stringify([...new Set(roles)].sort()));
}

export async function mfaRequiredFor(ctx: Pick<AuthContext, 'store'>, role: Role): Promise<boolean> {
  return (await mfaRequiredRoles(ctx)).includes(role);
}

/** Starts enrolment: a new secret, shown once, to put into an authenticator app. */
export async function beginMfaEnrolment(ctx: AuthContext, account: Account): Promise<{ secret: string; uri: string }> {
  const secret = newTotpSecret();
  await ctx.store.accounts.updateAccount(account.id, { totpSecret: ctx.box.seal(secret), mfaEnabled: false });
  return { secret, uri: otpauthUri(secret, account.username) };
}

/** Finishes enrolment with a code from the app; from then on sign-in asks for a code. */
export async function confirmMfaEnrolment(ctx: AuthContext, account: Account, code: string): Promise<boolean> {
  const step = account.totpSecret ? matchTotpStep(ctx.box.open(account.totpSecret), code, ctx.now()) : undefined;
  if (step === undefined || !(await ctx.store.accounts.consumeTotpStep(account.id, step))) return false;
  await ctx.store.accounts.updateAccount(account.id, { mfaEnabled: true });
  return true;
}
