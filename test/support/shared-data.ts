// Where the shared test data lives (../shared/data beside the checkout; CI clones elsewhere, so the
// workplace copy and an explicit CARELOOP_SHARED_DATA are tried too). A missing folder fails loudly:
// a test that silently skips cannot fail.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const candidates = [
  process.env.CARELOOP_SHARED_DATA,
  resolve(new URL('../../../shared/data', import.meta.url).pathname),
  '/work/shared/data',
].filter((p): p is string => typeof p === 'string' && p.length > 0);

export function sharedDataDir(): string {
  const found = candidates.find((p) => existsSync(join(p, 'SOURCES.md')));
  if (!found) {
    throw new Error(`Shared test data not found; set CARELOOP_SHARED_DATA (looked in ${candidates.join(', ')})`);
  }
  return found;
}

export function sharedData(...parts: string[]): string {
  return join(sharedDataDir(), ...parts);
}
