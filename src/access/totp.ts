// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), the codes
// authenticator apps show. Secrets travel as RFC 4648 base32.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/=+$/, '').replace(/\s/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of clean) {
    const i = ALPHABET.indexOf(c);
    if (i < 0) throw new Error('Not base32');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The code for the 30-second step containing `time` (RFC 4226 §5.3 dynamic truncation). */
export function totpCode(secret: string, time: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(time / 30_000)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString();
  return binary.padStart(6, '0');
}

/**
 * The time step (30-second counter) whose code `code` is, among the current one and the ones just
 * before and after (clock drift, RFC 6238 §5.2); undefined when it is none of them. The caller
 * records the step so that the code is not accepted a second time.
 */
export function matchTotpStep(secret: string, code: string, time: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  for (const drift of [-1, 0, 1]) {
    const at = time + drift * 30_000;
    const expected = totpCode(secret, at);
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(code))) return Math.floor(at / 30_000);
  }
  return undefined;
}

export function verifyTotp(secret: string, code: string, time: number): boolean {
  return matchTotpStep(secret, code, time) !== undefined;
}

export function otpauthUri(secret: string, username: string, issuer = 'Careloop'): string {
  return `otpauth://totp/${encodeURIComponent(`${issuer}:${username}`)}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
}
