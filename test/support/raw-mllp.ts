// Bytes over a TCP socket as a hospital's interface engine sends them: <VT> message <FS><CR>, and
// the acknowledgement read back the same way. No HL7 library on this side: what the server gets is
// exactly the file's bytes, malformed ones included.
import { connect } from 'node:net';

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

export function sendRawMllp(port: number, text: string | Buffer, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('No acknowledgement within the time allowed'));
    }, timeoutMs);
    socket.on('connect', () => {
      const body = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
      socket.write(Buffer.concat([Buffer.from([VT]), body, Buffer.from([FS, CR])]));
    });
    socket.on('data', (data) => {
      chunks.push(data);
      const all = Buffer.concat(chunks);
      const end = all.indexOf(FS);
      if (end >= 0) {
        clearTimeout(timer);
        socket.end();
        resolve(all.subarray(all[0] === VT ? 1 : 0, end).toString('utf8'));
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** One MLLP connection kept open, as an interface engine keeps it: each message waits for its ACK. */
export async function openRawMllp(port: number): Promise<{ send(text: string): Promise<string>; close(): void }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  let buffer = Buffer.alloc(0);
  let waiting: ((ack: string) => void) | undefined;
  socket.on('data', (data) => {
    buffer = Buffer.concat([buffer, data]);
    const end = buffer.indexOf(FS);
    if (end >= 0 && waiting) {
      const ack = buffer.subarray(buffer[0] === VT ? 1 : 0, end).toString('utf8');
      buffer = buffer.subarray(end + 2);
      const resolve = waiting;
      waiting = undefined;
      resolve(ack);
    }
  });
  return {
    send: (text) =>
      new Promise((resolve) => {
        waiting = resolve;
        socket.write(Buffer.concat([Buffer.from([VT]), Buffer.from(text, 'utf8'), Buffer.from([FS, CR])]));
      }),
    close: () => socket.end(),
  };
}
