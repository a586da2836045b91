// The feed review API (src/server/feeds/feed-review-routes.ts): held hospital messages and the
// coordinator's decision on each. What is held and why is the server's to say.
import { authRequest } from '../api/auth-request.js';

export interface PatientSummary {
  readonly id?: string;
  readonly name: string;
  readonly birthDate?: string;
  readonly gender?: string;
  readonly identifiers: readonly string[];
}

export interface HeldMessage {
  readonly key: string;
  readonly type: string;
  readonly sender: string;
  readonly receivedAt: string;
  readonly reason: string;
  readonly patient: PatientSummary;
  readonly visit?: string;
  readonly mergedIdentifiers: readonly string[];
  readonly candidates: readonly PatientSummary[];
  readonly hiddenCandidates: number;
  readonly actions: readonly ('link' | 'create' | 'merge' | 'dismiss')[];
}

export type FeedDecision =
  | { readonly action: 'link'; readonly patient: string }
  | { readonly action: 'create' }
  | { readonly action: 'merge' }
  | { readonly action: 'dismiss'; readonly reason: string };

export const loadHeldMessages = (): Promise<{ messages: HeldMessage[] }> => authRequest('GET', '/feeds/review');

export const decideHeldMessage = (key: string, decision: FeedDecision): Promise<{ outcome: string }> =>
  authRequest('POST', `/feeds/review/${encodeURIComponent(key)}`, decision);

export interface RefusedMessage {
  readonly key: string;
  readonly kind: 'hl7v2' | 'ccda';
  readonly type: string;
  readonly sender: string;
  readonly receivedAt: string;
  readonly where: string;
  readonly reason: string;
}

export const loadRefusedMessages = (): Promise<{ messages: RefusedMessage[] }> => authRequest('GET', '/feeds/refused');
