// A Subscription sends data out of Careloop, so it delivers only what its owner — the account or
// backend client that last wrote it — may see. The server records the owner on the Subscription
// (whatever the body said), checks at write time that the criteria can ever match something the
// owner may read, and evaluates every notification under the owner's access decisions.
import type { Extension, Subscription } from '@medplum/fhirtypes';
import { fhirUserOf } from '../../access/auth/sessions.js';
import { accessFilterFor } from '../../access/policy/build-access-guard.js';
import { loadPatientAccess } from '../../access/policy/patient-access.js';
import { includesType, ROLE_POLICIES } from '../../access/policy/role-policies.js';
import { SENSITIVE_LABELS } from '../../access/policy/sensitive-labels.js';
import type { Principal } from '../../access/principal.js';
import { parseScopes, scopesAllow } from '../../access/scopes/smart-scopes.js';
import { patientCompartmentParams } from '../../fhir/compartment/patient-compartment.js';
import type { AccessFilter } from '../../fhir/search/search-request.js';
import type { Role } from '../../store/account-store.js';
import type { WriteAgent } from '../../store/repository/repository-context.js';
import type { Store } from '../../store/store.js';

export const OWNER_EXTENSION = 'http://careloop.org/fhir/StructureDefinition/subscription-owner';

export type SubscriptionOwner = NonNullable<WriteAgent['account']>;

export function ownerOf(sub: Subscription | undefined): SubscriptionOwner | undefined {
  const ext = sub?.extension?.find((e) => e.url === OWNER_EXTENSION);
  const part = (url: string) => ext?.extension?.find((e) => e.url === url)?.valueString;
  const [kind, ...rest] = (part('account') ?? '').split(':');
  const id = rest.join(':');
  if ((kind !== 'user' && kind !== 'client') || !id) return undefined;
  return { kind, id, scope: part('scope') ?? '' };
}

/** The Subscription with `owner` recorded as its owner (any owner the body named is replaced). */
export function withOwner(sub: Subscription, owner: SubscriptionOwner): Subscription {
  const extension: Extension = {
    url: OWNER_EXTENSION,
    extension: [
      { url: 'account', valueString: `${owner.kind}:${owner.id}` },
      ...(owner.scope ? [{ url: 'scope', valueString: owner.scope }] : []),
    ],
  };
  const others = (sub.extension ?? []).filter((e) => e.url !== OWNER_EXTENSION);
  return { ...sub, extension: [...others, extension] };
}

/**
 * Why the owner could never be notified by these criteria (undefined: they could): a type their
 * role or token may not read, patients' records for a role that sees none, or only sensitive
 * labels for a role that may never see them.
 */
export function criteriaProblem(
  role: Role,
  scope: string,
  type: string,
  query: readonly [string, string][],
): string | undefined {
  const policy = ROLE_POLICIES[role];
  if (!includesType(policy.readTypes, type) || !scopesAllow(parseScopes(scope).resources, type, 's')) {
    return `Your access does not include reading ${type}, so this subscription could never notify you`;
  }
  const inRecords = patientCompartmentParams(type).length > 0;
  if (inRecords && policy.reach === 'none') {
    return `${type} resources belong to patients' records, which your role does not see: this subscription could never notify you`;
  }
  const labels = query.filter(([k]) => k === '_security' || k.startsWith('_security:')).map(([, v]) => v);
  // `_security=a,b&_security=c`: every value of some parameter is a sensitive label.
  const onlySensitive = labels.some((v) =>
    v.split(',').every((one) => {
      const [system, code] = one.includes('|') ? one.split('|', 2) : [undefined, one];
      return SENSITIVE_LABELS.some((l) => l.code === code && (system === undefined || system === l.system));
    }),
  );
  if (onlySensitive && policy.sensitive === 'none') {
    return 'Your role may never see records with these sensitivity labels: this subscription could never notify you';
  }
  return undefined;
}

/**
 * The access filter the owner's notifications are evaluated under; undefined for an owner who may
 * see everything (a backend system), null when the owner is gone or disabled (nothing is sent).
 * Emergency-access grants do not extend to subscriptions: they open a record to a person, for a
 * stated reason, not to a feed.
 */
export async function ownerAccessFilter(
  store: Store,
  owner: SubscriptionOwner,
  now: number,
): Promise<AccessFilter | undefined | null> {
  let principal: Principal;
  if (owner.kind === 'client') {
    const client = await store.accounts.getClient(owner.id);
    if (!client || client.disabled) return null;
    principal = {
      kind: 'client',
      id: client.id,
      name: client.name,
      role: 'system',
      scope: owner.scope,
      scopes: parseScopes(owner.scope).resources,
      fhirUser: undefined,
      links: {},
      sessionId: '',
    };
  } else {
    const account = await store.accounts.getAccount(owner.id);
    if (!account || account.disabled) return null;
    principal = {
      kind: 'user',
      id: account.id,
      name: account.username,
      role: account.role,
      scope: owner.scope,
      scopes: parseScopes(owner.scope).resources,
      fhirUser: fhirUserOf(account),
      links: account.links,
      sessionId: '',
    };
  }
  const access = await loadPatientAccess(store, principal, [], now);
  const filter = accessFilterFor(principal, access);
  return access.all && filter.sharedTypes === 'all' && !filter.types ? undefined : filter;
}
