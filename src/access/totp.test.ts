import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, totpCode, verifyTotp } from './totp.js';

// RFC 6238 Appendix B: the SHA-1 test secret is "12345678901234567890"; codes are the last 6 digits.
const SECRET = base32Encode(Buffer.from('12345678901234567890'));

describe('TOTP (RFC 6238)', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ])('at %i s gives %s', (seconds, code) => {
    expect(totpCode(SECRET, seconds * 1000)).toBe(code);
  });

  it('accepts one step of drift and nothing more', () => {
    const t = 1111111111_000;
    expect(verifyTotp(SECRET, totpCode(SECRET, t - 30_000), t)).toBe(true);
    expect(verifyTotp(SECRET, totpCode(SECRET, t + 30_000), t)).toBe(true);
    expect(verifyTotp(SECRET, totpCode(SECRET, t - 90_000), t)).toBe(false);
    expect(verifyTotp(SECRET, '12345', t)).toBe(false);
  });

  it('round-trips base32', () => {
    expect(base32Decode(base32Encode(Buffer.from('any bytes \u00ff'))).toString()).toBe('any bytes \u00ff');
  });
});
