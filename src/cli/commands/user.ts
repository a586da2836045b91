// `careloop user add|passwd|list|unlock`: accounts, on the database CARELOOP_DB names.
import { addUser, setPassword } from '../../access/auth/users.js';
import { openAuditedStore } from '../cli-audit.js';
import { option, parseArgs } from '../cli-options.js';
import { readSecret } from '../read-secret.js';

const USAGE = `usage:
  careloop user add --username NAME --password PW --role ROLE
                    [--patient Patient/ID] [--practitioner Practitioner/ID] [--related-person RelatedPerson/ID ...]
  careloop user passwd NAME        (reads the new password from the terminal or standard input)
  careloop user list
  careloop user unlock NAME
roles: admin, coordinator, physician, pharmacist, patient, caregiver, system`;

export async function userCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  const parsed = parseArgs(rest);
  const audited = await openAuditedStore();
  const store = audited.store;
  const ctx = { store, now: () => Date.now() };
  try {
    switch (sub) {
      case 'add': {
        const username = option(parsed, 'username');
        const password = option(parsed, 'password');
        const role = option(parsed, 'role');
        if (!username || !password || !role) {
          console.error(USAGE);
          return 2;
        }
        const patient = option(parsed, 'patient');
        const practitioner = option(parsed, 'practitioner');
        const relatedPersons = parsed.options.get('related-person');
        const result = await addUser(ctx, {
          username,
          password,
          role,
          links: {
            ...(patient ? { patient } : {}),
            ...(practitioner ? { practitioner } : {}),
            ...(relatedPersons?.length ? { relatedPersons } : {}),
          },
        });
        await audited.record({
          command: `careloop user add --username ${username} --role ${role}`,
          action: 'C',
          exitCode: result.ok ? 0 : 1,
          detail: result.ok ? `user ${result.account.username} (${role}) created` : result.message,
        });
        if (!result.ok) {
          console.error(result.message);
          return 1;
        }
        console.log(`Added ${role} ${username}`);
        return 0;
      }
      case 'passwd': {
        const username = parsed.positional[0];
        if (!username) {
          console.error(USAGE);
          return 2;
        }
        const account = await store.accounts.getAccountByUsername(username);
        if (!account) {
          console.error(`No user named ${username}`);
          return 1;
        }
        const password = option(parsed, 'password') ?? (await readSecret(`New password for ${username}: `));
        const result = await setPassword(ctx, account, password);
        await audited.record({
          command: `careloop user passwd ${account.username}`,
          action: 'U',
          exitCode: result.ok ? 0 : 1,
          detail: result.ok ? `password set for ${account.username}; sessions ended` : result.message,
        });
        if (!result.ok) {
          console.error(result.message);
          return 1;
        }
        console.log(`Password changed for ${username}; their sessions were ended`);
        return 0;
      }
      case 'list': {
        for (const a of await store.accounts.listAccounts()) {
          const links = [a.links.practitioner, a.links.patient, ...(a.links.relatedPersons ?? [])]
            .filter(Boolean)
            .join(' ');
          const state = a.disabled ? ' (disabled)' : a.lockedUntil && a.lockedUntil > Date.now() ? ' (locked)' : '';
          console.log(`${a.username}\t${a.role}\t${a.mfaEnabled ? 'mfa' : '-'}\t${links}${state}`);
        }
        return 0;
      }
      case 'unlock': {
        const account = parsed.positional[0]
          ? await store.accounts.getAccountByUsername(parsed.positional[0])
          : undefined;
        if (!account) {
          console.error(`No such user`);
          return 1;
        }
        await store.accounts.updateAccount(account.id, { failedLogins: 0, lockedUntil: undefined });
        await audited.record({
          command: `careloop user unlock ${account.username}`,
          action: 'U',
          exitCode: 0,
          detail: `account ${account.username} unlocked`,
        });
        console.log(`Unlocked ${account.username}`);
        return 0;
      }
      default:
        console.error(USAGE);
        return 2;
    }
  } finally {
    await audited.close();
  }
}
