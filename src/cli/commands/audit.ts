// `careloop audit verify [--anchor FILE ...]`: walks the audit log's keyed hash chain and checks it
// against the checkpoints in the anchor file (CARELOOP_AUDIT_ANCHOR, and any copies named); exit
// status 1 if an entry was altered, inserted or removed, at the end included.
// `careloop audit checkpoint`: appends the log's head to the anchor file and prints it, to keep a
// copy elsewhere (another machine, a write-once store, a printed page).
import {
  checkpointAuditLog,
  formatAnchor,
  type ParsedAnchor,
  readAnchorFile,
} from '../../access/audit/audit-anchor.js';
import { deriveAuditKey } from '../../access/audit/audit-key.js';
import { verifyAuditLog } from '../../access/audit/verify-audit-log.js';
import { loadSecretKey } from '../../access/auth/secret-key.js';
import { openStore } from '../../store/open-store.js';
import { parseArgs } from '../cli-options.js';
import { readConfig } from '../config.js';

const USAGE = `usage:
  careloop audit verify [--anchor FILE ...]   check the chain and the checkpoints (the anchor file by default)
  careloop audit checkpoint                   add the log's head to the anchor file and print it`;

export async function auditCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify' && sub !== 'checkpoint') {
    console.error(USAGE);
    return 2;
  }
  const config = readConfig();
  const key = deriveAuditKey(loadSecretKey({ secret: config.secret, keyFile: config.keyFile }));
  const store = await openStore(config.database);
  store.audit.setChainKey(key);
  try {
    if (sub === 'checkpoint') {
      if (!config.auditAnchorFile) {
        console.error('No anchor file: set CARELOOP_AUDIT_ANCHOR');
        return 2;
      }
      const anchor = await checkpointAuditLog(store.audit, key, config.auditAnchorFile);
      if (!anchor) {
        console.log('The audit log is empty');
        return 0;
      }
      console.log(formatAnchor(key, anchor));
      return 0;
    }
    const files = parseArgs(rest).options.get('anchor') ?? (config.auditAnchorFile ? [config.auditAnchorFile] : []);
    const anchors: ParsedAnchor[] = files.flatMap((f) => readAnchorFile(key, f));
    const result = await verifyAuditLog(store.audit, key, anchors);
    if (!result.ok) {
      console.error(`Audit log TAMPERED: ${result.problem} (${result.entries} entries before it verified)`);
      return 1;
    }
    console.log(
      `Audit log intact: ${result.entries} entries, ${result.anchors} checkpoints matched; last hash ${result.lastHash}`,
    );
    if (result.unkeyed > 0)
      console.log(`${result.unkeyed} entries at its start predate the keyed chain (sealed by the entry after them)`);
    if (result.anchors === 0)
      console.log('No checkpoints to check against: entries removed from the end would not show.');
    return 0;
  } finally {
    await store.close();
  }
}
