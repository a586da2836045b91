// Password hashing: argon2id with the OWASP-recommended parameters (19 MiB, 2 iterations, 1 lane).
// The one place that uses @node-rs/argon2.
import { hash, verify } from '@node-rs/argon2';

export function hashPassword(password: string): Promise<string> {
  return hash(password, { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** NIST SP 800-63B §5.1.1.2: at least 8 characters (Careloop asks 12), no upper limit below 64. */
export function passwordProblem(password: string, username?: string): string | undefined {
  if (password.length < 12) return 'A password needs at least 12 characters';
  if (password.length > 256) return 'A password may have at most 256 characters';
  if (/^(.)\1+$/.test(password)) return 'A password may not repeat one character';
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    return 'A password may not contain the user name';
  return undefined;
}
