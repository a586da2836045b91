// The feed message log (FeedStore) with SQL both dialects run.
import type { FeedMessage, FeedOutcome, FeedStore } from '../feed-store.js';
import type { JobExecutor } from './sql-jobs.js';
import type { Row } from './sql-reads.js';

const toMessage = (r: Row): FeedMessage => ({
  key: String(r.key),
  kind: String(r.kind) as FeedMessage['kind'],
  sender: String(r.sender),
  controlId: String(r.control_id),
  type: String(r.type),
  receivedAt: Number(r.received_at),
  raw: String(r.raw),
  outcome: String(r.outcome) as FeedOutcome,
  detail: r.detail === null || r.detail === undefined ? undefined : String(r.detail),
});

export function sqlFeedStore(
  read: JobExecutor,
  write: <T>(fn: (db: JobExecutor) => Promise<T>) => Promise<T>,
): FeedStore {
  return {
    receiveFeedMessage: (m) =>
      write(
        async (db) =>
          (await db.run(
            `INSERT INTO feed_message (key, kind, sender, control_id, type, received_at, raw, outcome, detail)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
            [m.key, m.kind, m.sender, m.controlId, m.type, m.receivedAt, m.raw, m.outcome, m.detail ?? null],
          )) > 0,
      ),
    getFeedMessage: async (key) => {
      const r = await read.get('SELECT * FROM feed_message WHERE key = ?', [key]);
      return r ? toMessage(r) : undefined;
    },
    settleFeedMessage: (key, outcome, detail) =>
      write(async (db) => {
        await db.run('UPDATE feed_message SET outcome = ?, detail = ? WHERE key = ?', [outcome, detail ?? null, key]);
      }),
    claimFeedMessage: (key, from, to) =>
      write(
        async (db) =>
          (await db.run('UPDATE feed_message SET outcome = ? WHERE key = ? AND outcome = ?', [to, key, from])) > 0,
      ),
    listFeedMessages: async (since, limit, outcome) =>
      (outcome === undefined
        ? await read.all('SELECT * FROM feed_message WHERE received_at >= ? ORDER BY received_at, key LIMIT ?', [
            since,
            limit,
          ])
        : await read.all(
            'SELECT * FROM feed_message WHERE outcome = ? AND received_at >= ? ORDER BY received_at, key LIMIT ?',
            [outcome, since, limit],
          )
      ).map(toMessage),
  };
}
