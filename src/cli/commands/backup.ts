// `careloop backup <file>`: a consistent online copy of everything the embedded database needs to be
// restored, while the server runs: the database (`<file>`), its audit log (`<file>-audit`), the
// secret key file (`<file>.key`, which seals the token-signing key, second factors and the audit
// chain) and the audit checkpoints (`<file>.audit-anchor`). Restoring is pointing CARELOOP_DB at
// `<file>`: the key and checkpoint files are found beside it. The backup is itself audited.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ALL_PATIENTS, openAuditedStore } from '../cli-audit.js';
import { anchorFileFor, keyFileFor, readConfig } from '../config.js';

export async function backup(args: readonly string[]): Promise<number> {
  const target = args[0];
  if (!target) {
    console.error('usage: careloop backup <file>');
    return 2;
  }
  const destination = resolve(target);
  const config = readConfig();
  // The files a restore from `destination` looks for beside it.
  const keyCopy = keyFileFor(destination, {});
  const anchorCopy = anchorFileFor(destination, {});
  for (const f of [destination, `${destination}-audit`, keyCopy, anchorCopy]) {
    if (f && existsSync(f)) {
      console.error(`${f} already exists; choose a new file`);
      return 1;
    }
  }
  const audited = await openAuditedStore();
  const store = audited.store;
  try {
    mkdirSync(dirname(destination), { recursive: true });
    await store.backup(destination);
    const copied = [destination, `${destination}-audit`];
    if (config.keyFile && existsSync(config.keyFile) && keyCopy) {
      copyFileSync(config.keyFile, keyCopy);
      copied.push(keyCopy);
    } else if (config.secret) {
      console.log('The secret key comes from CARELOOP_SECRET: keep it with the backup, a restore needs it.');
    }
    if (config.auditAnchorFile && existsSync(config.auditAnchorFile) && anchorCopy) {
      copyFileSync(config.auditAnchorFile, anchorCopy);
      copied.push(anchorCopy);
    }
    await audited.record({
      command: `careloop backup ${destination}`,
      action: 'E',
      exitCode: 0,
      detail: `copied ${copied.join(', ')}`,
      patients: [ALL_PATIENTS],
    });
    const counts = await store.countByType();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`Backed up ${total} resources to ${destination}`);
    console.log(`Files: ${copied.join(', ')} (keep them together; the key file is secret)`);
    return 0;
  } finally {
    await audited.close();
  }
}
