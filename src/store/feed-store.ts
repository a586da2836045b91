// What hospital feeds sent (HL7 v2 messages, C-CDA documents): each kept as received, with its
// sender, time and outcome, so that it can be audited, resent to Careloop (replayed) and recognised
// when the sender sends it again (the same sender's same control id, MSH-10).

/**
 * received: being applied; review: held for a coordinator (feed review); dismissed: a held message a
 * coordinator decided not to apply.
 */
export type FeedOutcome = 'received' | 'applied' | 'refused' | 'review' | 'dismissed';

export interface FeedMessage {
  /** `{sender}|{controlId}`: one message per sender and control id. */
  readonly key: string;
  readonly kind: 'hl7v2' | 'ccda';
  readonly sender: string;
  readonly controlId: string;
  /** The event (ADT^A01) or document type. */
  readonly type: string;
  readonly receivedAt: number;
  readonly raw: string;
  readonly outcome: FeedOutcome;
  /** The ACK sent back, or why it was refused or held. */
  readonly detail: string | undefined;
}

export interface FeedStore {
  /**
   * Keeps a message unless one with its key is kept already (atomically, across servers): false for a
   * message seen before, whose outcome then stands.
   */
  receiveFeedMessage(message: FeedMessage): Promise<boolean>;
  getFeedMessage(key: string): Promise<FeedMessage | undefined>;
  settleFeedMessage(key: string, outcome: FeedOutcome, detail: string | undefined): Promise<void>;
  /**
   * Moves a message from one outcome to another only if it still has the first (atomically, across
   * servers): false when someone else moved it first (two coordinators deciding one held message).
   */
  claimFeedMessage(key: string, from: FeedOutcome, to: FeedOutcome): Promise<boolean>;
  /** Messages received since a time (with this outcome only, when given), oldest first. */
  listFeedMessages(since: number, limit: number, outcome?: FeedOutcome): Promise<FeedMessage[]>;
}
