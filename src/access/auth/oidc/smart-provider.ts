// Careloop's SMART authorization server: oidc-provider (OpenID Certified) configured for SMART App
// Launch 2.x and SMART Backend Services (hl7.org/fhir/smart-app-launch), on Careloop's store,
// users and keys. Its endpoints live under /auth/smart; the issuer is the server's origin (as in
// /.well-known/smart-configuration). Access tokens are opaque: the FHIR API looks each one up
// (src/access/auth/smart-tokens.ts), so revoking or removing an app ends its tokens at once.
import { randomBytes } from 'node:crypto';
import Provider, { type Configuration, errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { AccountStore } from '../../../store/account-store.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import { generateSigningJwk, type JWK } from '../../crypto/tokens.js';
import { parseResourceScope } from '../../scopes/smart-scopes.js';
import { SMART_ROUTES } from './smart-routes.js';
import { PROVIDER_SCOPES, storeAdapter } from './store-adapter.js';

/** How long a backend service's client assertion may run ahead (SMART Backend Services: "no more than five minutes in the future"). */
const MAX_ASSERTION_SECONDS = 300;

export interface SmartProviderOptions {
  /** The server's origin (https://careloop.example.org): the issuer. */
  readonly issuer: string;
  /** The FHIR base (the `aud` of SMART requests and of every token). */
  readonly fhirBase: string;
  readonly accounts: AccountStore;
  readonly box: SecretBox;
  readonly now: () => number;
}

/** The provider's signing key and cookie key: made once, kept sealed, shared by every server. */
async function loadKeys(accounts: AccountStore, box: SecretBox): Promise<{ jwk: JWK; cookieKey: string }> {
  let sealedJwk = await accounts.getSetting('smart-signing-key');
  if (!sealedJwk) {
    const jwk = await generateSigningJwk('ES384');
    sealedJwk = await accounts.setSettingIfAbsent('smart-signing-key', box.seal(JSON.stringify(jwk)));
  }
  let sealedCookie = await accounts.getSetting('smart-cookie-key');
  if (!sealedCookie)
    sealedCookie = await accounts.setSettingIfAbsent(
      'smart-cookie-key',
      box.seal(randomBytes(32).toString('base64url')),
    );
  return { jwk: JSON.parse(box.open(sealedJwk)) as JWK, cookieKey: box.open(sealedCookie) };
}

/**
 * The scopes a client may be given for the FHIR API: what it asked for, within what it registered.
 * A system scope only for a client that authenticates (SMART Backend Services).
 */
export function grantableScopes(requested: string, registered: string, confidential: boolean): string {
  const allowed = new Set(registered.split(/\s+/).filter(Boolean));
  return requested
    .split(/\s+/)
    .filter(Boolean)
    .filter((s) => allowed.has(s) && parseResourceScope(s) !== undefined)
    .filter((s) => confidential || !s.startsWith('system/'))
    .join(' ');
}

export async function createSmartProvider(options: SmartProviderOptions): Promise<Provider> {
  const { issuer, fhirBase, accounts, box, now } = options;
  const { jwk, cookieKey } = await loadKeys(accounts, box);
  const configuration: Configuration = {
    adapter: storeAdapter({ accounts, box, now }),
    clients: [],
    jwks: { keys: [jwk as never] },
    cookies: { keys: [cookieKey] },
    routes: SMART_ROUTES,
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    enabledJWA: { clientAuthSigningAlgValues: ['RS384', 'ES384'], idTokenSigningAlgValues: ['ES384'] },
    clientDefaults: {
      grant_types: ['authorization_code'],
      id_token_signed_response_alg: 'ES384',
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    scopes: [...PROVIDER_SCOPES],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // SMART apps name the FHIR server as `aud`; every token is for it.
        defaultResource: async () => fhirBase,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, resource, client) => {
          if (resource !== fhirBase) throw new errors.InvalidTarget(`the only resource here is ${fhirBase}`);
          const requested = String(ctx.oidc.params?.scope ?? '');
          const registered = (await accounts.getApp(client.clientId))?.scope ?? '';
          const scope = grantableScopes(requested, registered, client.clientAuthMethod !== 'none');
          // Nothing it asked for may be granted: say so rather than hand out an empty token.
          if (!scope && requested.split(/\s+/).some((s) => parseResourceScope(s)))
            throw new errors.InvalidScope('none of the FHIR scopes asked for is registered for this app', requested);
          return {
            scope,
            audience: fhirBase,
            accessTokenFormat: 'opaque',
          };
        },
      },
    },
    assertJwtClientAuthClaimsAndHeader: async (_ctx, claims) => {
      const exp = Number(claims.exp);
      if (!Number.isFinite(exp) || exp - now() / 1000 > MAX_ASSERTION_SECONDS)
        throw new errors.InvalidClientAuth(`the assertion's exp may be at most ${MAX_ASSERTION_SECONDS} seconds ahead`);
    },
    ttl: {
      AccessToken: 3600,
      ClientCredentials: 300,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 12 * 3600,
      Grant: 14 * 24 * 3600,
      RefreshToken: 14 * 24 * 3600,
      IdToken: 3600,
    },
    findAccount: async (_ctx: KoaContextWithOIDC, id: string) => {
      const account = await accounts.getAccount(id);
      if (!account || account.disabled) return undefined;
      const fhirUser = account.links.practitioner ?? account.links.patient ?? account.links.relatedPersons?.[0];
      return { accountId: id, claims: async () => ({ sub: id, ...(fhirUser ? { fhirUser } : {}) }) };
    },
  };
  // Forwarded headers are not trusted, as in Careloop's HTTP server (trustProxy off): the issuer is
  // the origin the server was reached at, or its configured base URL.
  return new Provider(issuer, configuration);
}
