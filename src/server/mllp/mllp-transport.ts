// MLLP over TCP (the framing every hospital interface engine speaks: <VT> message <FS><CR>), with
// Medplum's HL7 library (`@medplum/hl7`), the one place Careloop uses it: a listener that answers
// each message with an acknowledgement, and a sender for `careloop hl7 send`.
import { createServer } from 'node:net';
import { Hl7Client, Hl7Connection, type Hl7MessageEvent } from '@medplum/hl7';
import { buildAck, type Hl7Message, parseHl7 } from '../../care/feeds/hl7v2/hl7-message.js';

/** An MLLP listener: each message is handed to `answer`, whose text goes back as the acknowledgement. */
export interface MllpListener {
  readonly port: number;
  close(): Promise<void>;
}

export async function listenMllp(
  port: number,
  host: string,
  answer: (text: string, from: string) => Promise<string>,
): Promise<MllpListener> {
  // The library's own server listens on every interface and retries a busy port for ever; this one
  // binds where it is told and fails at once, and uses the library's MLLP framing per connection.
  const connections = new Set<Hl7Connection>();
  const server = createServer((socket) => {
    const connection = new Hl7Connection(socket);
    connections.add(connection);
    connection.addEventListener('close', () => connections.delete(connection));
    const from = socket.remoteAddress ?? '';
    connection.addEventListener('message', (event: Hl7MessageEvent) => {
      // One answer per message, in the order received (a sender waits for each ACK).
      void answer(event.message.toString(), from).then(
        (ack) => connection.send(messageOf(ack)),
        () =>
          connection.send(
            messageOf(
              buildAck(event.message, 'AE', {
                segment: 'MSH',
                field: undefined,
                code: '207',
                text: 'The message could not be processed',
              }),
            ),
          ),
      );
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
      await Promise.all([...connections].map((c) => c.close()));
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

/** An acknowledgement built here, as the library's message (it is always well formed). */
function messageOf(text: string): Hl7Message {
  const parsed = parseHl7(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.message;
}
