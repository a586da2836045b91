// `careloop client add --name NAME [--scope system/*.rs]`: a backend client for the client
// credentials grant. The secret is shown once.
import { addClient } from '../../access/auth/clients.js';
import { openAuditedStore } from '../cli-audit.js';
import { option, parseArgs } from '../cli-options.js';

export async function clientCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  const parsed = parseArgs(rest);
  const name = option(parsed, 'name');
  if (sub !== 'add' || !name) {
    console.error('usage: careloop client add --name NAME [--scope system/*.cruds]');
    return 2;
  }
  const audited = await openAuditedStore();
  const store = audited.store;
  try {
    const scope = option(parsed, 'scope');
    const result = await addClient({ store, now: () => Date.now() }, { name, ...(scope ? { scope } : {}) });
    await audited.record({
      command: `careloop client add --name ${name}${scope ? ` --scope ${scope}` : ''}`,
      action: 'C',
      exitCode: result.ok ? 0 : 1,
      detail: result.ok ? `backend client ${result.id} created` : result.message,
    });
    if (!result.ok) {
      console.error(result.message);
      return 1;
    }
    console.log(
      `client_id=${result.id}\nclient_secret=${result.secret}\n(the secret is not stored and cannot be shown again)`,
    );
    return 0;
  } finally {
    await audited.close();
  }
}
