// Checks a Subscription when it is written (FHIR R4 §Subscription): a rest-hook channel to an
// allowed endpoint, criteria that parse as a search of one resource type and that its owner could
// ever be notified of. The server records who owns it (the requester who wrote it) and makes a new
// or re-requested subscription active, in the same transaction.
import type { Subscription } from '@medplum/fhirtypes';
import { getTypeModel } from '../../fhir/definitions/r4-definitions.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { parseSearchRequest } from '../../fhir/search/parse-search-request.js';
import type { AccountStore, Role } from '../../store/account-store.js';
import type { WriteHook } from '../../store/repository/repository-context.js';
import { readTopicSubscription } from './backport.js';
import { allowedEndpoints, endpointProblem } from './endpoint-allowlist.js';
import { criteriaProblem, ownerOf, withOwner } from './subscription-owner.js';

const invalid = (message: string, expression: string) =>
  new OutcomeError('business-rule', message, { status: 422, expression: [expression] });

/** `Task?owner=x` as its type and query; throws a 422 when it is not a search Careloop can run. */
export function parseCriteria(criteria: string | undefined): { type: string; query: [string, string][] } {
  const [type, search = ''] = (criteria ?? '').split('?', 2);
  if (!type || !getTypeModel().isResourceType(type))
    throw invalid(
      `Subscription.criteria must be a search such as Task?owner=Practitioner/x, not '${criteria}'`,
      'Subscription.criteria',
    );
  const query = [...new URLSearchParams(search)] as [string, string][];
  parseSearchRequest(type, query);
  return { type, query };
}

export function subscriptionHook(accounts: Pick<AccountStore, 'getSetting'>): WriteHook {
  return async (event, _tx, repo) => {
    if (event.resourceType !== 'Subscription' || !event.resource) return;
    const sub = event.resource as Subscription & { id: string };
    // The requester who writes a subscription owns it; the server's own updates keep the owner.
    const owner = event.agent?.account ?? ownerOf(sub);
    const owned = owner ? withOwner(sub, owner) : sub;
    if (sub.status === 'off') {
      if (JSON.stringify(owned) !== JSON.stringify(sub)) await repo.update(owned as Subscription & { id: string });
      return;
    }
    let criteria: ReturnType<typeof parseCriteria>;
    // A topic (Subscriptions R5 Backport): its filter is the search; it turns active once the
    // endpoint has answered the handshake (notify-subscribers.ts), not on being written.
    const topic = readTopicSubscription(sub);
    try {
      criteria = topic ? { type: topic.type, query: topic.query } : parseCriteria(sub.criteria);
    } catch (err) {
      if (err instanceof OutcomeError && err.status === 422) throw err;
      throw invalid(
        `Subscription.criteria: ${err instanceof Error ? err.message : String(err)}`,
        'Subscription.criteria',
      );
    }
    if (sub.channel.type !== 'rest-hook')
      throw new OutcomeError('not-supported', `Careloop delivers rest-hook subscriptions, not ${sub.channel.type}`, {
        status: 422,
        expression: ['Subscription.channel.type'],
      });
    if (event.agent?.account) {
      const never = criteriaProblem(event.agent.role as Role, event.agent.account.scope, criteria.type, criteria.query);
      if (never) throw new OutcomeError('forbidden', never, { status: 403, expression: ['Subscription.criteria'] });
    }
    const problem = endpointProblem(sub.channel.endpoint, await allowedEndpoints(accounts));
    if (problem) throw invalid(problem, 'Subscription.channel.endpoint');
    const next = sub.status === 'requested' && !topic ? { ...owned, status: 'active' as const } : owned;
    if (JSON.stringify(next) !== JSON.stringify(sub)) await repo.update(next as Subscription & { id: string });
  };
}
