// Anchors of the audit log outside it: an append-only text file of checkpoints, each the sequence
// number and hash of the log's last entry at the time, sealed with the audit key. A keyed chain
// shows any entry altered or removed in its middle; only an anchor held elsewhere shows entries
// removed from its end (a log cut short is a chain that verifies). The file is plain text, one
// line per checkpoint, to be copied off the machine (`careloop audit checkpoint` prints one).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditStore } from '../../store/audit-store.js';

export interface AuditAnchor {
  readonly seq: number;
  readonly hash: string;
  /** When it was taken (ISO 8601). */
  readonly at: string;
}

const macOf = (key: Buffer, a: { seq: number; hash: string; at: string }): string =>
  createHmac('sha256', key).update(`careloop audit anchor\n${a.seq}\n${a.hash}\n${a.at}`).digest('hex');

/** `seq hash at mac` */
export function formatAnchor(key: Buffer, anchor: AuditAnchor): string {
  return `${anchor.seq} ${anchor.hash} ${anchor.at} ${macOf(key, anchor)}`;
}

export type ParsedAnchor = { ok: true; anchor: AuditAnchor } | { ok: false; line: number; problem: string };

/** The anchors of a file's text; a line whose seal does not verify is reported, not trusted. */
export function parseAnchors(key: Buffer, text: string): ParsedAnchor[] {
  const out: ParsedAnchor[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [seq, hash, at, mac] = line.split(/\s+/);
    const anchor = { seq: Number(seq), hash: hash ?? '', at: at ?? '' };
    const expected = Buffer.from(macOf(key, anchor));
    const given = Buffer.from(mac ?? '');
    if (!Number.isInteger(anchor.seq) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      out.push({ ok: false, line: i + 1, problem: `line ${i + 1} is not a checkpoint sealed with this server's key` });
    } else out.push({ ok: true, anchor });
  });
  return out;
}

export function readAnchorFile(key: Buffer, file: string): ParsedAnchor[] {
  return existsSync(file) ? parseAnchors(key, readFileSync(file, 'utf8')) : [];
}

/** Appends the log's current head to the file (unless it is the head last written); returns it. */
export async function checkpointAuditLog(
  audit: AuditStore,
  key: Buffer,
  file: string,
  now: () => number = () => Date.now(),
): Promise<AuditAnchor | undefined> {
  const head = await audit.head();
  if (!head) return undefined;
  const anchor = { seq: head.seq, hash: head.hash, at: new Date(now()).toISOString() };
  mkdirSync(dirname(file), { recursive: true });
  // O_APPEND: each line lands at the end, whatever else appends to the file.
  appendFileSync(file, `${formatAnchor(key, anchor)}\n`, { flag: 'a', mode: 0o600 });
  return anchor;
}

export interface AnchorWriter {
  /** Writes a last checkpoint and stops. */
  stop(): Promise<void>;
}

/**
 * Checkpoints the log every `intervalMs` while it grows (and once more when stopped): entries cut
 * from the end of the log are detected back to the last checkpoint.
 */
export function startAnchorWriter(audit: AuditStore, key: Buffer, file: string, intervalMs = 1_000): AnchorWriter {
  let last = -1;
  let running: Promise<void> = Promise.resolve();
  const tick = (): Promise<void> => {
    running = running.then(async () => {
      try {
        const head = await audit.head();
        if (!head || head.seq === last) return;
        await checkpointAuditLog(audit, key, file);
        last = head.seq;
      } catch {
        // The database may be away for a moment: the next tick tries again.
      }
    });
    return running;
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await tick();
    },
  };
}
