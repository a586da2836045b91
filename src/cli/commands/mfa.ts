// `careloop mfa require ROLE[,ROLE...]` and `careloop mfa show`: which roles must sign in with a
// second factor (users of those roles are asked to enrol at their next sign-in).
import { mfaRequiredRoles, setMfaRequiredRoles } from '../../access/auth/mfa.js';
import { ROLES, type Role } from '../../store/account-store.js';
import { openAuditedStore } from '../cli-audit.js';

export async function mfaCommand(args: readonly string[]): Promise<number> {
  const [sub, list] = args;
  if (sub !== 'show' && sub !== 'require') {
    console.error('usage: careloop mfa show | careloop mfa require ROLE[,ROLE...] (an empty list requires none)');
    return 2;
  }
  const audited = await openAuditedStore();
  const store = audited.store;
  try {
    if (sub === 'require') {
      const roles = (list ?? '')
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean);
      const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
      if (unknown.length) {
        console.error(`Unknown roles: ${unknown.join(', ')} (roles: ${ROLES.join(', ')})`);
        return 1;
      }
      await setMfaRequiredRoles({ store }, roles as Role[]);
      await audited.record({
        command: `careloop mfa require ${roles.join(',')}`,
        action: 'U',
        exitCode: 0,
        detail: `second factor required for: ${roles.join(', ') || 'no role'}`,
      });
    }
    const roles = await mfaRequiredRoles({ store });
    console.log(
      roles.length
        ? `Multi-factor authentication required for: ${roles.join(', ')}`
        : 'Multi-factor authentication is not required for any role',
    );
    return 0;
  } finally {
    await audited.close();
  }
}
