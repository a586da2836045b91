// `careloop hl7 send` against a running server's MLLP listener: the shared samples go over the
// socket, each ACK is printed, and the exit code says whether all were accepted.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sharedDataDir } from '../../../test/support/shared-data.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';
import { hl7Command, messagesIn } from './hl7.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ mllp: true });
});
afterAll(() => server?.close());

const sample = (name: string) => join(sharedDataDir(), 'hl7v2', name);

async function run(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  try {
    return { code: await hl7Command(args), out: lines.join('\n') };
  } finally {
    log.mockRestore();
  }
}

describe('careloop hl7 send', () => {
  it('sends a file and prints its ACK; exit 0 when accepted', async () => {
    const port = String(server.mllpPort);
    const { code, out } = await run('send', sample('A04__msft-fhir-converter__ADT04-28.hl7'), '--port', port);
    expect(out, out).toContain('MSA|AA|1270326314');
    expect(code).toBe(0);
  });

  it('exit 1 when one is refused, and every file is still sent', async () => {
    const port = String(server.mllpPort);
    const { code, out } = await run(
      'send',
      sample('malformed__missing-required-PID__from-msft-ADT-A03-02.hl7'),
      sample('A08__google-hdh__adt_a08_ex1.hl7'),
      '--port',
      port,
    );
    expect(out).toMatch(/missing-required-PID.*: AE/);
    expect(out).toMatch(/adt_a08_ex1\.hl7: AA/);
    expect(code).toBe(1);
  });

  it('refuses a bad port and a missing file list', async () => {
    expect((await run('send', 'x.hl7', '--port', 'nope')).code).toBe(2);
    expect((await run('send')).code).toBe(2);
  });
});

describe('messagesIn', () => {
  it('splits a file of several messages at each MSH, whatever its line ends', () => {
    const file = '\uFEFFMSH|^~\\&|A|B|||1||ADT^A01|1|P|2.5\nPID|1||1\r\nMSH|^~\\&|A|B|||1||ADT^A08|2|P|2.5\rPID|1||1\n';
    expect(messagesIn(file)).toEqual([
      'MSH|^~\\&|A|B|||1||ADT^A01|1|P|2.5\rPID|1||1',
      'MSH|^~\\&|A|B|||1||ADT^A08|2|P|2.5\rPID|1||1',
    ]);
  });
});
