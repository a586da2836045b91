// Who is asking: established from a verified access token alone (never from headers a client sets).
import type { AccountLinks, Role } from '../store/account-store.js';
import type { ResourceScope } from './scopes/smart-scopes.js';

export interface Principal {
  readonly kind: 'user' | 'client';
  /** Account id, or the OAuth client id. */
  readonly id: string;
  /** User name, or the client's name. */
  readonly name: string;
  readonly role: Role;
  /** The scopes granted, as text and parsed. */
  readonly scope: string;
  readonly scopes: readonly ResourceScope[];
  /** The FHIR resource the user is: Practitioner/x, Patient/x or RelatedPerson/x. */
  readonly fhirUser: string | undefined;
  readonly links: AccountLinks;
  readonly sessionId: string;
  /** A SMART app's launch context: the one patient (`Patient/x`) its token is for. */
  readonly launchPatient?: string;
  /** The SMART app acting for the user, when the token is an app's, not Careloop's own. */
  readonly app?: { readonly id: string; readonly name: string };
}

/** `Patient/123` to `123` when it names that type. */
export function idOf(reference: string | undefined, type: string): string | undefined {
  if (!reference?.startsWith(`${type}/`)) return undefined;
  const id = reference.slice(type.length + 1);
  return id && !id.includes('/') ? id : undefined;
}
