// `careloop hl7 send` against a running server's MLLP listener: the shared samples go over the
// socket, each ACK is printed, and the exit code says whether all were accepted.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sharedDataDir } from '../../../test/support/shared-data.js';
import { TEST_SECRET } from '../../../test/support/test-auth.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';
import { sendMllp } from '../../server/mllp/mllp-transport.js';
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

describe('careloop hl7 replay', () => {
  const withDatabase = async <T>(fn: () => Promise<T>): Promise<T> => {
    const saved = { db: process.env.CARELOOP_DB, secret: process.env.CARELOOP_SECRET };
    process.env.CARELOOP_DB = server.databaseUrl;
    process.env.CARELOOP_SECRET = TEST_SECRET;
    try {
      return await fn();
    } finally {
      for (const [k, v] of [
        ['CARELOOP_DB', saved.db],
        ['CARELOOP_SECRET', saved.secret],
      ] as const)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  };

  it('applies a message a crash left half-way, and changes nothing applied', async () => {
    const port = server.mllpPort as number;
    const text = (control: string, visit: string) =>
      `MSH|^~\\&|EPIC|MERCY|||20261201||ADT^A01|${control}|P|2.5.1\rPID|1||RP-1^^^MERCY^MR||Replay^Ruth||19440101|F\rPV1|1|I|4E||||||||||||||||${visit}^^^MERCY^VN`;
    expect(await sendMllp('127.0.0.1', port, text('rp-1', 'RV-1'))).toContain('MSA|AA');
    // A crash after the message was kept, before it was applied: its resend is only told to wait.
    const stuck = text('rp-2', 'RV-2');
    await server.store.feeds.receiveFeedMessage({
      key: 'EPIC^MERCY|rp-2',
      kind: 'hl7v2',
      sender: 'EPIC^MERCY',
      controlId: 'rp-2',
      type: 'ADT^A01',
      receivedAt: Date.now(),
      raw: stuck,
      outcome: 'received',
      detail: undefined,
    });
    expect(await sendMllp('127.0.0.1', port, stuck)).toContain('being applied');
    const before = await server.repository.search('Encounter', [['identifier', 'RV-1']]);
    const version = before.page.matches[0]?.versionId;

    const { code, out } = await withDatabase(() => run('replay', '--since', '2000-01-01T00:00:00Z'));
    expect(code, out).toBe(0);
    expect(out).toContain('EPIC^MERCY|rp-2 ADT^A01: received -> applied');
    expect(out).toContain('EPIC^MERCY|rp-1 ADT^A01: applied -> applied');
    expect((await server.repository.search('Encounter', [['identifier', 'RV-2']])).page.matches).toHaveLength(1);
    const after = await server.repository.search('Encounter', [['identifier', 'RV-1']]);
    expect(after.page.matches[0]?.versionId).toBe(version);
    expect(await sendMllp('127.0.0.1', port, stuck)).toContain('MSA|AA|rp-2');
  });

  it('refuses a missing or wrong --since', async () => {
    expect((await run('replay')).code).toBe(2);
    expect((await run('replay', '--since', 'yesterday')).code).toBe(2);
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
