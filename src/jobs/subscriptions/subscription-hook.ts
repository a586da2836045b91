// Checks a Subscription when it is written (FHIR R4 §Subscription): a rest-hook channel to an
// allowed endpoint, criteria that parse as a search of one resource type. A new or re-requested
// subscription is made active by the server, in the same transaction.
import type { Subscription } from '@medplum/fhirtypes';
import { getTypeModel } from '../../fhir/definitions/r4-definitions.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { parseSearchRequest } from '../../fhir/search/parse-search-request.js';
import type { AccountStore } from '../../store/account-store.js';
import type { WriteHook } from '../../store/repository/repository-context.js';
import { allowedEndpoints, endpointProblem } from './endpoint-allowlist.js';

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
    if (sub.status === 'off') return;
    try {
      parseCriteria(sub.criteria);
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
    const problem = endpointProblem(sub.channel.endpoint, await allowedEndpoints(accounts));
    if (problem) throw invalid(problem, 'Subscription.channel.endpoint');
    if (sub.status === 'requested') await repo.update({ ...sub, status: 'active' });
  };
}
