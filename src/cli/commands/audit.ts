// `careloop audit verify`: walks the audit log's hash chain; exit status 1 if an entry was altered,
// inserted or removed.
import { verifyAuditLog } from '../../access/audit/verify-audit-log.js';
import { openStore } from '../../store/open-store.js';
import { readConfig } from '../config.js';

export async function auditCommand(args: readonly string[]): Promise<number> {
  if (args[0] !== 'verify') {
    console.error('usage: careloop audit verify');
    return 2;
  }
  const store = await openStore(readConfig().database);
  try {
    const result = await verifyAuditLog(store.audit);
    if (!result.ok) {
      console.error(`Audit log TAMPERED: ${result.problem} (${result.entries} entries before it verified)`);
      return 1;
    }
    console.log(`Audit log intact: ${result.entries} entries; last hash ${result.lastHash}`);
    return 0;
  } finally {
    await store.close();
  }
}
