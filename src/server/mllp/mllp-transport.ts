// MLLP over TCP (the framing every hospital interface engine speaks: <VT> message <FS><CR>): a
// listener that answers each message with an acknowledgement, and a sender for `careloop hl7 send`
// on Medplum's HL7 client (`@medplum/hl7`, used only here).
import { createServer, type Socket } from 'node:net';
import { Hl7Client } from '@medplum/hl7';
import { buildAck, parseHl7 } from '../../care/feeds/hl7v2/hl7-message.js';

/** An MLLP listener: each message is handed to `answer`, whose text goes back as the acknowledgement. */
export interface MllpListener {
  readonly port: number;
  close(): Promise<void>;
}

/** MLLP framing (HL7 v2 Appendix C): <VT> message <FS><CR>. */
const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;
/** A frame larger than this is no ADT message: the connection is closed rather than buffered. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** The complete frames at the start of a buffer, and what is left of it. */
export function takeFrames(buffer: Buffer): { frames: Buffer[]; rest: Buffer } {
  const frames: Buffer[] = [];
  let rest = buffer;
  for (;;) {
    const start = rest.indexOf(VT);
    if (start < 0) return { frames, rest: Buffer.alloc(0) };
    let end = rest.indexOf(FS, start + 1);
    while (end >= 0 && end + 1 < rest.length && rest[end + 1] !== CR) end = rest.indexOf(FS, end + 1);
    if (end < 0 || end + 1 >= rest.length) return { frames, rest: rest.subarray(start) };
    frames.push(rest.subarray(start + 1, end));
    rest = rest.subarray(end + 2);
  }
}

export async function listenMllp(
  port: number,
  host: string,
  answer: (text: string, from: string) => Promise<string>,
): Promise<MllpListener> {
  // Framed here, parsed by the library (answer): @medplum/hl7's own connection parses inside its
  // framing and drops, without an ACK, a message it cannot parse (a UTF-8 byte order mark before
  // MSH is enough), keeping the bytes in its buffer for the next one. A feed needs an ACK for
  // every message, AE for the unreadable ones.
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const from = socket.remoteAddress ?? '';
    let buffer: Buffer = Buffer.alloc(0);
    // One answer per message, in the order received (a sender waits for each ACK).
    let queue = Promise.resolve();
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      if (buffer.length > MAX_FRAME_BYTES) {
        socket.destroy();
        return;
      }
      const { frames, rest } = takeFrames(buffer);
      buffer = rest;
      for (const frame of frames) {
        const text = frame.toString('utf8');
        queue = queue.then(async () => {
          const ack = await answer(text, from).catch(() =>
            buildAck(undefined, 'AE', {
              segment: 'MSH',
              field: undefined,
              code: '207',
              text: 'The message could not be processed',
            }),
          );
          if (!socket.destroyed)
            socket.write(Buffer.concat([Buffer.from([VT]), Buffer.from(ack, 'utf8'), Buffer.from([FS, CR])]));
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new Error(`The MLLP listener on ${host}:${port} could not start: ${err.message}`)),
    );
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends one message over MLLP and returns the acknowledgement's text. */
export async function sendMllp(host: string, port: number, text: string, timeoutMs = 30_000): Promise<string> {
  const client = new Hl7Client({ host, port });
  try {
    const parsed = parseHl7(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    return (await client.sendAndWait(parsed.message, { timeoutMs })).toString();
  } finally {
    await client.close();
  }
}
