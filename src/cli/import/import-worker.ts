// Worker thread for `careloop import`: reads a file, parses it and prepares its versions (validation,
// index extraction), posting chunks back to the main thread, which only writes.
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parentPort } from 'node:worker_threads';
import { emptyChunk, type PreparedChunk, prepareDocument } from './prepare-import.js';

export type WorkerRequest =
  | { readonly kind: 'file'; readonly path: string; readonly label: string; readonly now: number }
  | { readonly kind: 'ack' };
export type WorkerMessage =
  | { readonly kind: 'chunk'; readonly chunk: PreparedChunk; readonly resources: number }
  | { readonly kind: 'done'; readonly fatal?: string };

const CHUNK_LINES = 2000;
const port = parentPort;
if (!port) throw new Error('import-worker must run in a worker thread');

let ackWaiter: (() => void) | undefined;
const waitForAck = (): Promise<void> =>
  new Promise((resolve) => {
    ackWaiter = resolve;
  });

function post(message: WorkerMessage): void {
  port?.postMessage(message);
}

async function importNdjson(path: string, label: string, now: number): Promise<void> {
  const ctx = { newId: () => crypto.randomUUID(), now };
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  let chunk = emptyChunk();
  let count = 0;
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    count++;
    try {
      prepareDocument(ctx, JSON.parse(line), `${label} line ${lineNo}`, chunk);
    } catch (err) {
      chunk.errors.push(`${label} line ${lineNo}: invalid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (count >= CHUNK_LINES) {
      post({ kind: 'chunk', chunk, resources: count });
      chunk = emptyChunk();
      count = 0;
      await waitForAck();
    }
  }
  post({ kind: 'chunk', chunk, resources: count });
  await waitForAck();
}

async function importJson(path: string, label: string, now: number): Promise<void> {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    // Reported once, as this file's outcome, by the message handler below.
    throw new Error(`invalid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const chunk = prepareDocument({ newId: () => crypto.randomUUID(), now }, doc, label);
  const resources = chunk.groups.reduce((n, g) => n + g.writes.length, 0);
  post({ kind: 'chunk', chunk, resources });
  await waitForAck();
}

port.on('message', (msg: WorkerRequest) => {
  if (msg.kind === 'ack') {
    const w = ackWaiter;
    ackWaiter = undefined;
    w?.();
    return;
  }
  const run = /\.(ndjson|jsonl)$/i.test(msg.path) ? importNdjson : importJson;
  run(msg.path, msg.label, msg.now)
    .then(() => post({ kind: 'done' }))
    .catch((err: unknown) => post({ kind: 'done', fatal: err instanceof Error ? err.message : String(err) }));
});
