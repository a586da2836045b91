// The audit chain's key: derived from the server's secret key (HKDF, RFC 5869) so it lives where
// that secret lives — outside the database — and is used for nothing else.
import { hkdfSync } from 'node:crypto';

export function deriveAuditKey(secretKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'careloop audit chain v1', 32));
}
