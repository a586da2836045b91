// What the `careloop` command does on the server's machine is recorded in the audit log like any
// request (ONC 170.315(d)(2): actions on health information and on the security settings): importing
// and exporting records, backups, users and clients created, passwords set, accounts unlocked, the
// second-factor policy changed, tokens minted. The entry names the operating-system user who ran
// the command; a bulk action that concerns every patient is attributed to all of them ('*').
import { hostname, userInfo } from 'node:os';
import { deriveAuditKey } from '../access/audit/audit-key.js';
import { loadSecretKey } from '../access/auth/secret-key.js';
import type { AuditEntry } from '../store/audit-store.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { readConfig } from './config.js';

/** Every patient: the audit entry of a bulk action over the whole database. */
export const ALL_PATIENTS = '*';

export interface CliAction {
  /** The command as typed, without secrets: `careloop user add --username x --role admin`. */
  readonly command: string;
  readonly action: AuditEntry['action'];
  /** 0 for success, else the command's exit status. */
  readonly exitCode: number;
  readonly detail?: string;
  readonly patients?: readonly string[];
}

export interface AuditedStore {
  readonly store: Store;
  record(action: CliAction): Promise<void>;
  close(): Promise<void>;
}

function operator(): string {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry for this uid (a container): keep $USER.
  }
  return `${user}@${hostname()}`;
}

/** Opens CARELOOP_DB with the audit chain keyed by the server's secret, for a command that records itself. */
export async function openAuditedStore(options: { bulk?: boolean } = {}): Promise<AuditedStore> {
  const config = readConfig();
  const store = await openStore(config.database, options.bulk ? { bulk: true } : {});
  store.audit.setChainKey(deriveAuditKey(loadSecretKey({ secret: config.secret, keyFile: config.keyFile })));
  return {
    store,
    record: async (a) => {
      await store.audit.append([
        {
          recorded: Date.now(),
          kind: 'cli',
          action: a.action,
          status: a.exitCode === 0 ? 200 : 500,
          username: `cli:${operator()}`,
          role: 'operator',
          address: 'local (careloop command)',
          entity: a.command,
          patients: [...(a.patients ?? [])],
          ...(a.detail ? { detail: a.detail } : {}),
        },
      ]);
    },
    close: () => store.close(),
  };
}
