// `careloop hl7 send FILE... [--host H] [--port P]`: sends HL7 v2 message files over MLLP (a
// hospital integration engineer's test, a demo, the tests) and prints each acknowledgement. A file
// may hold several messages, each starting with MSH. Exit code 1 when any was not accepted (AA).
// `careloop hl7 replay --since INSTANT`: applies the messages kept since then again, on the
// database (CARELOOP_DB) through the server's own hooks (src/server/feeds/replay-feed.ts).
import { readFileSync } from 'node:fs';
import { createClinicClock } from '../../care/calendar/clinic-clock.js';
import { normalizeHl7Text } from '../../care/feeds/hl7v2/hl7-message.js';
import { createSubscriptionDispatcher } from '../../jobs/subscriptions/notify-subscribers.js';
import { careHooks } from '../../server/care-hooks.js';
import { replayFeedMessages } from '../../server/feeds/replay-feed.js';
import { sendMllp } from '../../server/mllp/mllp-transport.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import { openAuditedStore } from '../cli-audit.js';
import { option, parseArgs } from '../cli-options.js';
import { readConfig } from '../config.js';

const USAGE = `usage: careloop hl7 send FILE... [--host HOST] [--port PORT]
  sends each HL7 v2 message over MLLP (default 127.0.0.1, CARELOOP_MLLP_PORT or 2575) and prints its ACK
       careloop hl7 replay --since INSTANT
  applies again every message kept since then (oldest first) and prints each outcome`;

async function replay(sinceText: string | undefined): Promise<number> {
  const since = sinceText ? Date.parse(sinceText) : Number.NaN;
  if (Number.isNaN(since)) {
    console.error(`--since must be an instant such as 2026-12-01T00:00:00Z\n${USAGE}`);
    return 2;
  }
  const config = readConfig();
  const audited = await openAuditedStore();
  const store = audited.store;
  const clock = createClinicClock(config.timeZone);
  // Subscriptions hear of the replayed writes as of any: their deliveries are queued for the server.
  const subscriptions = createSubscriptionDispatcher(store);
  await subscriptions.ready;
  const queued: Promise<void>[] = [];
  const repository = createFhirRepository(store, {
    now: clock.now,
    hooks: careHooks(clock, store.accounts),
    onCommit: (events) => void queued.push(subscriptions.onCommit(events, () => undefined)),
  });
  const patients = new Set<string>();
  try {
    const count = await replayFeedMessages(
      {
        repository,
        clock,
        baseUrl: config.baseUrl ?? `http://${config.host}:${config.port}/fhir`,
        feedOrganization: config.feedOrganization,
      },
      since,
      (m) => {
        for (const p of m.patients) patients.add(p);
        console.log(`${m.key} ${m.type}: ${m.before} -> ${m.after}`);
      },
    );
    await Promise.all(queued);
    console.log(`Replayed ${count} messages received since ${new Date(since).toISOString()}`);
    await audited.record({
      command: `careloop hl7 replay --since ${new Date(since).toISOString()}`,
      action: 'E',
      exitCode: 0,
      detail: `replayed ${count} feed messages`,
      patients: [...patients],
    });
    return 0;
  } finally {
    subscriptions.stop();
    await audited.close();
  }
}

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
  if (sub === 'replay') return replay(option(parsed, 'since'));
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
