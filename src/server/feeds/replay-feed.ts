// Applies kept feed messages again, oldest first (`careloop hl7 replay --since`): after a fix to a
// mapping (a message refused then), or after restoring a database from before they arrived. A
// message left `received` (a coordinator's decision interrupted) is applied too. Applying is idempotent — what a message already did is not written
// again — so replaying applied messages changes nothing. A dismissed message stays dismissed, and a
// decided one (applied after a coordinator's decision) is not put back on the review.
import type { FeedMessage } from '../../store/feed-store.js';
import { type Hl7ReceiverDeps, processHl7 } from './receive-hl7.js';

export interface ReplayedMessage {
  readonly key: string;
  readonly type: string;
  readonly before: FeedMessage['outcome'];
  readonly after: FeedMessage['outcome'];
  readonly patients: readonly string[];
}

const PAGE = 500;

export async function replayFeedMessages(
  deps: Pick<Hl7ReceiverDeps, 'repository' | 'clock' | 'baseUrl' | 'feedOrganization'>,
  since: number,
  onEach: (replayed: ReplayedMessage) => void,
): Promise<number> {
  const feeds = deps.repository.store.feeds;
  const seen = new Set<string>();
  let from = since;
  let count = 0;
  for (;;) {
    // Pages by time; messages of one instant already replayed are skipped by key.
    const page = (await feeds.listFeedMessages(from, PAGE)).filter((m) => !seen.has(m.key));
    if (page.length === 0) return count;
    for (const m of page) {
      seen.add(m.key);
      from = m.receivedAt;
      if (m.kind !== 'hl7v2' || m.outcome === 'dismissed') continue;
      const done = await processHl7(deps, m.raw);
      const after = m.outcome === 'applied' && done.outcome === 'review' ? 'applied' : done.outcome;
      if (after !== m.outcome) await feeds.settleFeedMessage(m.key, after, done.ack);
      onEach({ key: m.key, type: m.type, before: m.outcome, after, patients: done.patients });
      count++;
    }
  }
}
