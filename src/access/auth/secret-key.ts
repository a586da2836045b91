// The server's secret key, kept outside the database: it seals the token-signing key and TOTP seeds,
// so that a copy of the database alone can neither forge tokens nor read second factors. From
// CARELOOP_SECRET (any string, hashed to 32 bytes), else a key file made on first start (mode 0600).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function loadSecretKey(options: { secret?: string | undefined; keyFile?: string | undefined }): Buffer {
  if (options.secret) return createHash('sha256').update(options.secret).digest();
  if (!options.keyFile) return randomBytes(32);
  if (existsSync(options.keyFile)) {
    const key = Buffer.from(readFileSync(options.keyFile, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`The key file ${options.keyFile} does not hold a 32-byte key`);
    return key;
  }
  const key = randomBytes(32);
  mkdirSync(dirname(options.keyFile), { recursive: true });
  writeFileSync(options.keyFile, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
