// `careloop hl7 send FILE... [--host H] [--port P]`: sends HL7 v2 message files over MLLP (a
// hospital integration engineer's test, a demo, the tests) and prints each acknowledgement. A file
// may hold several messages, each starting with MSH. Exit code 1 when any was not accepted (AA).
import { readFileSync } from 'node:fs';
import { normalizeHl7Text } from '../../care/feeds/hl7v2/hl7-message.js';
import { sendMllp } from '../../server/mllp/mllp-transport.js';
import { option, parseArgs } from '../cli-options.js';

const USAGE = `usage: careloop hl7 send FILE... [--host HOST] [--port PORT]
  sends each HL7 v2 message over MLLP (default 127.0.0.1, CARELOOP_MLLP_PORT or 2575) and prints its ACK`;

/** The messages of a file: each from an MSH to the next. */
export function messagesIn(text: string): string[] {
  return normalizeHl7Text(text)
    .split(/\r(?=MSH)/)
    .map((m) => m.trim())
    .filter((m) => m.startsWith('MSH'));
}

export async function hl7Command(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(rest);
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (sub !== 'send' || parsed.positional.length === 0) {
    console.error(USAGE);
    return 2;
  }
  const host = option(parsed, 'host') ?? '127.0.0.1';
  const port = Number(option(parsed, 'port') ?? (process.env.CARELOOP_MLLP_PORT || 2575));
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
    console.error(`--port must be a TCP port, not '${option(parsed, 'port')}'`);
    return 2;
  }
  let failed = false;
  for (const file of parsed.positional) {
    for (const message of messagesIn(readFileSync(file, 'utf8'))) {
      const ack = await sendMllp(host, port, message);
      const code = ack
        .split('\r')
        .find((s) => s.startsWith('MSA'))
        ?.split('|')[1];
      if (code !== 'AA') failed = true;
      console.log(`${file}: ${code ?? '?'}\n${ack.replace(/\r/g, '\n')}\n`);
    }
  }
  return failed ? 1 : 0;
}
