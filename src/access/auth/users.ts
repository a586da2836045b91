// Creating users and changing passwords (the CLI and the administrator's API use these).
import type { Account, AccountLinks, Role } from '../../store/account-store.js';
import { ROLES, UsernameTakenError } from '../../store/account-store.js';
import { newResourceId } from '../../store/ids/new-resource-id.js';
import { hashPassword, passwordProblem, verifyPassword } from '../crypto/passwords.js';
import { idOf } from '../principal.js';
import type { AuthContext } from './auth-context.js';

export type UserResult = { ok: true; account: Account } | { ok: false; message: string };

/** Letters and digits of any script, dots, dashes, underscores and @, after NFKC normalization. */
const USERNAME = /^[\p{L}\p{N}._@-]{2,64}$/u;

function linksProblem(role: Role, links: AccountLinks): string | undefined {
  if (links.patient && !idOf(links.patient, 'Patient')) return 'The patient link must look like Patient/ID';
  if (links.practitioner && !idOf(links.practitioner, 'Practitioner'))
    return 'The practitioner link must look like Practitioner/ID';
  if (links.relatedPersons?.some((r) => !idOf(r, 'RelatedPerson')))
    return 'Caregiver links must look like RelatedPerson/ID';
  if (role === 'patient' && !links.patient) return 'A patient user needs --patient Patient/ID';
  if (role === 'caregiver' && !links.relatedPersons?.length)
    return 'A caregiver user needs --related-person RelatedPerson/ID (one per patient)';
  if (['coordinator', 'physician', 'pharmacist', 'partner'].includes(role) && !links.practitioner)
    return `A ${role} user needs --practitioner Practitioner/ID`;
  return undefined;
}

export async function addUser(
  ctx: Pick<AuthContext, 'store' | 'now'>,
  input: { username: string; password: string; role: string; links: AccountLinks },
): Promise<UserResult> {
  // Stored in NFKC form; unique and found again whatever its case (usernameKey).
  const username = input.username.normalize('NFKC');
  if (!USERNAME.test(username))
    return { ok: false, message: 'A user name is 2-64 letters, digits, dots, dashes, underscores or @' };
  if (!(ROLES as readonly string[]).includes(input.role))
    return { ok: false, message: `The role must be one of ${ROLES.join(', ')}` };
  const role = input.role as Role;
  const problem = passwordProblem(input.password, username) ?? linksProblem(role, input.links);
  if (problem) return { ok: false, message: problem };
  const taken = { ok: false as const, message: `A user named ${username} already exists (user names ignore case)` };
  if (await ctx.store.accounts.getAccountByUsername(username)) return taken;
  const account: Account = {
    id: newResourceId(),
    username,
    passwordHash: await hashPassword(input.password),
    role,
    links: input.links,
    totpSecret: undefined,
    mfaEnabled: false,
    failedLogins: 0,
    lockedUntil: undefined,
    disabled: false,
    createdAt: ctx.now(),
  };
  try {
    await ctx.store.accounts.createAccount(account);
  } catch (err) {
    if (err instanceof UsernameTakenError) return taken;
    throw err;
  }
  return { ok: true, account };
}

/** Sets a new password and ends the user's other sessions (a changed password locks out whoever had the old one). */
export async function setPassword(
  ctx: Pick<AuthContext, 'store' | 'now'>,
  account: Account,
  password: string,
  keepSession?: string,
): Promise<UserResult> {
  const problem = passwordProblem(password, account.username);
  if (problem) return { ok: false, message: problem };
  await ctx.store.accounts.updateAccount(account.id, {
    passwordHash: await hashPassword(password),
    failedLogins: 0,
    lockedUntil: undefined,
  });
  await ctx.store.accounts.revokeAccountSessions(account.id, ctx.now(), keepSession);
  return { ok: true, account };
}

export async function changeOwnPassword(
  ctx: Pick<AuthContext, 'store' | 'now'>,
  account: Account,
  current: string,
  next: string,
  sessionId: string,
): Promise<UserResult> {
  if (!(await verifyPassword(account.passwordHash, current))) {
    return { ok: false, message: 'The current password is not correct' };
  }
  if (current === next) return { ok: false, message: 'The new password must differ from the current one' };
  return setPassword(ctx, account, next, sessionId);
}
