// Server-assigned resource ids: UUID version 7 (RFC 9562 §5.7). The first 48 bits are the creation
// time in milliseconds, so new ids sort after older ones: inserts land at the end of every index keyed
// by id (resource ids, reference targets, compartments) instead of at random pages, which keeps
// bulk imports fast as the database grows. The rest is random, so ids stay unguessable.
import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let sequence = 0;
const bytes = new Uint8Array(16);
// Random bytes drawn in blocks: one call per id cost more than the rest of making it.
const pool = new Uint8Array(4096);
let poolUsed = pool.length;

function randomInto(target: Uint8Array, offset: number, length: number): void {
  if (poolUsed + length > pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  target.set(pool.subarray(poolUsed, poolUsed + length), offset);
  poolUsed += length;
}

function hex(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < 16; i++) {
    out += (b[i] as number).toString(16).padStart(2, '0');
    if (i === 3 || i === 5 || i === 7 || i === 9) out += '-';
  }
  return out;
}

/** A new UUIDv7; ids made by one process are strictly increasing (a 12-bit counter within a millisecond). */
export function newResourceId(now: number = Date.now()): string {
  let ms = Math.max(now, lastMs);
  if (ms === lastMs) {
    sequence++;
    if (sequence > 0xfff) {
      ms++;
      sequence = 0;
    }
  } else {
    randomInto(bytes, 6, 1);
    sequence = (bytes[6] as number) & 0x7f;
  }
  lastMs = ms;
  randomInto(bytes, 8, 8);
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
  bytes[2] = (ms >>> 24) & 0xff;
  bytes[3] = (ms >>> 16) & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = 0x70 | ((sequence >>> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  return hex(bytes);
}
