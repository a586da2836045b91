// Which scopes an app may be given, apart from oidc-provider (loaded only for SMART requests):
// the identity and launch scopes the provider itself knows, and the FHIR scopes within an app's
// registration.
import { coversScope, parseResourceScope, type ResourceScope } from '../../scopes/smart-scopes.js';

/** The scopes oidc-provider itself knows (identity, launch and refresh); the rest are FHIR scopes. */
export const PROVIDER_SCOPES: readonly string[] = [
  'openid',
  'fhirUser',
  'profile',
  'offline_access',
  'online_access',
  'launch',
  'launch/patient',
  'launch/encounter',
];

/**
 * The scopes a client may be given for the FHIR API: what it asked for, within what it registered.
 * A system scope only for a client that authenticates (SMART Backend Services).
 */
export function grantableScopes(requested: string, registered: string, confidential: boolean): string {
  const allowed = registered
    .split(/\s+/)
    .map(parseResourceScope)
    .filter((s): s is ResourceScope => s !== undefined);
  // As asked, when one registered scope allows all of it (a granular scope within a whole one).
  return requested
    .split(/\s+/)
    .filter(Boolean)
    .filter((s) => {
      const asked = parseResourceScope(s);
      return asked !== undefined && allowed.some((wide) => coversScope(wide, asked));
    })
    .filter((s) => confidential || !s.startsWith('system/'))
    .join(' ');
}
