// Careloop's SMART authorization server: oidc-provider (OpenID Certified) configured for SMART App
// Launch 2.x and SMART Backend Services (hl7.org/fhir/smart-app-launch), on Careloop's store,
// users and keys. Its endpoints live under /auth/smart; the issuer is the server's origin (as in
// /.well-known/smart-configuration). Access tokens are opaque: the FHIR API looks each one up
// (src/access/auth/smart-tokens.ts), so revoking or removing an app ends its tokens at once.
import { randomBytes } from 'node:crypto';
import Provider, { type Configuration, errors, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { AccountStore } from '../../../store/account-store.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import { generateSigningJwk, type JWK } from '../../crypto/tokens.js';
import { parseResourceScope } from '../../scopes/smart-scopes.js';
import { fhirUserOf } from '../sessions.js';
import { findEhrLaunch } from './ehr-launch.js';
import { namePublicRefreshClient, readFormBody, replayWithBody } from './public-refresh.js';
import { CONSENT_TTL_MS } from './smart-consent.js';
import { SMART_PREFIX, SMART_ROUTES } from './smart-routes.js';
import { grantableScopes, PROVIDER_SCOPES } from './smart-scope-rules.js';
import { storeAdapter } from './store-adapter.js';

/** How long a backend service's client assertion may run ahead (SMART Backend Services: "no more than five minutes in the future"). */
const MAX_ASSERTION_SECONDS = 300;

/** What happened at the authorization server, for the audit log (never a token, code or secret). */
export interface SmartOutcome {
  readonly route: 'authorization' | 'token' | 'revocation' | 'introspection';
  readonly ok: boolean;
  readonly clientId: string | undefined;
  readonly accountId: string | undefined;
  /** The OAuth error code of a refusal (invalid_client, invalid_grant, access_denied...). */
  readonly error: string | undefined;
  readonly address: string | undefined;
}

export interface SmartProviderOptions {
  /** The server's origin (https://careloop.example.org): the issuer. */
  readonly issuer: string;
  /** The FHIR base (the `aud` of SMART requests and of every token). */
  readonly fhirBase: string;
  readonly accounts: AccountStore;
  readonly box: SecretBox;
  readonly now: () => number;
  /**
   * Told of every grant and authorization, granted or refused (the audit log). The answer waits for
   * it, and is a server error if it fails (no grant without its audit entry).
   */
  readonly onOutcome?: (outcome: SmartOutcome) => Promise<void>;
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
 * oidc-provider's prompts, and one more: every authorization passes Careloop's consent step, even
 * when the provider's session and an earlier grant would let it skip it. The step is where the
 * patient is chosen or taken from an EHR launch, the launch is used up, and a remembered consent is
 * recognised (smart-consent.ts); skipped, a new launch would get the last launch's patient.
 */
function everyLaunchAsks(): ReturnType<typeof interactionPolicy.base> {
  const policy = interactionPolicy.base();
  policy
    .get('consent')
    ?.checks.add(
      new interactionPolicy.Check('careloop_consent_step', "every launch passes Careloop's consent step", (ctx) =>
        ctx.oidc.result?.consent ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
      ),
    );
  return policy;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

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
    // SMART's `fhirUser` claim (the user's FHIR resource) in the id_token itself (SMART App Launch,
    // "Scopes for requesting identity data"), not only from a userinfo endpoint.
    claims: { openid: ['sub'], fhirUser: ['fhirUser'] },
    conformIdTokenClaims: false,
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
          // What the app may ever be given: its registration (system scopes only for a client that
          // authenticates). A user's consent narrows it further (smart-consent.ts); oidc-provider
          // issues what was asked or consented within it.
          const registered = (await accounts.getApp(client.clientId))?.scope ?? '';
          const confidential = client.clientAuthMethod !== 'none';
          // The registration, and what this request carries within it: a scope narrowed at consent
          // (`patient/*.crus` within a registered `patient/*.cruds`) is no registered string, yet
          // the registration allows it (coversScope).
          const carried = [
            ctx.oidc.params?.scope,
            ctx.oidc.entities?.AuthorizationCode?.scope,
            ctx.oidc.entities?.RefreshToken?.scope,
          ]
            .filter((s): s is string => typeof s === 'string')
            .join(' ');
          const available = grantableScopes(`${registered} ${carried}`, registered, confidential);
          if (ctx.oidc.params?.grant_type === 'client_credentials') {
            const requested = String(ctx.oidc.params.scope ?? '');
            // Nothing it asked for may be granted: say so rather than hand out an empty token.
            if (
              !grantableScopes(requested, registered, confidential) &&
              requested.split(/\s+/).some((s) => parseResourceScope(s))
            )
              throw new errors.InvalidScope('none of the FHIR scopes asked for is registered for this app', requested);
          }
          return {
            scope: available,
            audience: fhirBase,
            accessTokenFormat: 'opaque',
          };
        },
      },
    },
    // Every code is bound to a PKCE S256 challenge (SMART App Launch 2.x requires it of every app).
    pkce: { required: () => true },
    // SMART's `aud`: the FHIR server the app means to talk to; anything else is refused, so a code
    // is never sent to an app that was told another server's address (SMART App Launch, "aud").
    extraParams: {
      aud: async (ctx, value) => {
        if (ctx.oidc.route !== 'authorization') return;
        if (value !== fhirBase) throw new errors.InvalidRequest(`aud must be this FHIR server: ${fhirBase}`);
      },
      // EHR launch: the opaque launch Careloop gave the app, good once, for this app, for minutes.
      launch: async (ctx, value, client) => {
        if (ctx.oidc.route !== 'authorization' || value === undefined) return;
        if (!client || !(await findEhrLaunch(accounts, String(value), client.clientId, now())))
          throw new errors.InvalidRequest('launch is unknown, used or expired: open the app from Careloop again');
      },
    },
    // An error the app cannot be told by redirect (an unknown client, a redirect URI not registered):
    // a page in words, escaped, naming the OAuth error and nothing about users or clients.
    renderError: async (ctx, out) => {
      // An unknown app and a known app with a redirect URI it did not register read the same, so
      // the page does not tell whether an app of that id exists.
      const unknownApp = out.error === 'invalid_client' || out.error === 'invalid_redirect_uri';
      const [error, description] = unknownApp
        ? ['invalid_request', 'no app is registered with this client_id and redirect_uri']
        : [String(out.error ?? 'error'), String(out.error_description ?? '')];
      ctx.status = unknownApp ? 400 : ctx.status;
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The app could not connect</title></head><body><main><h1>The app could not connect to Careloop</h1><p>${escapeHtml(error)}: ${escapeHtml(description)}</p><p>Close this window and tell the app's maker.</p></main></body></html>`;
    },
    // A browser app (public, or confidential with its secret) calls the token endpoint from the
    // origin it is registered at (its redirect URIs), and from nowhere else.
    clientBasedCORS: (_ctx, origin, client) =>
      origin !== 'null' &&
      (client.redirectUris ?? []).some((uri) => URL.canParse(uri) && new URL(uri).origin === origin),
    interactions: {
      policy: everyLaunchAsks(),
      url: async (_ctx, interaction) => `${SMART_PREFIX}/interaction/${interaction.uid}`,
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
      Grant: CONSENT_TTL_MS / 1000,
      // offline_access: two weeks, renewed with each use; online_access: while the user would stay
      // signed in to Careloop (SMART App Launch: "usable for as long as the end-user remains online").
      RefreshToken: (_ctx, token) => (token.scopes.has('offline_access') ? 14 * 24 * 3600 : 12 * 3600),
      IdToken: 3600,
    },
    // A refresh token for offline_access, and for SMART's online_access too.
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') &&
      (code.scopes.has('offline_access') || code.scopes.has('online_access')),
    findAccount: async (_ctx: KoaContextWithOIDC, id: string) => {
      const account = await accounts.getAccount(id);
      if (!account || account.disabled) return undefined;
      const fhirUser = fhirUserOf(account);
      return { accountId: id, claims: async () => ({ sub: id, ...(fhirUser ? { fhirUser } : {}) }) };
    },
  };
  // Forwarded headers are not trusted, as in Careloop's HTTP server (trustProxy off): the issuer is
  // the origin the server was reached at, or its configured base URL.
  const provider = new Provider(issuer, configuration);
  const tell =
    (route: SmartOutcome['route'], ok: boolean) =>
    (ctx: KoaContextWithOIDC, err?: { error?: string }): void => {
      const written = options.onOutcome?.({
        route,
        ok,
        clientId:
          ctx.oidc?.client?.clientId ?? (typeof ctx.query?.client_id === 'string' ? ctx.query.client_id : undefined),
        accountId: ctx.oidc?.account?.accountId ?? ctx.oidc?.session?.accountId,
        error: err?.error,
        address: ctx.ip,
      });
      if (written) ctx.state.audits = [...((ctx.state.audits ?? []) as Promise<void>[]), written];
    };
  provider.on('grant.success', tell('token', true));
  provider.on('grant.error', tell('token', false));
  provider.on('authorization.success', tell('authorization', true));
  provider.on('authorization.error', tell('authorization', false));
  provider.on('revocation.error', tell('revocation', false));
  provider.on('introspection.error', tell('introspection', false));
  // The audit entries of a request are written before its answer leaves.
  provider.use(async (ctx, next) => {
    await next();
    const audits = (ctx.state.audits ?? []) as Promise<void>[];
    if ((await Promise.allSettled(audits)).some((r) => r.status === 'rejected')) {
      ctx.status = 500;
      ctx.body = { error: 'server_error', error_description: 'The request could not be recorded' };
    }
  });
  // SMART apps ask for offline_access without OpenID's prompt=consent (OIDC Core §11), which
  // oidc-provider requires before it keeps that scope. Careloop asks every user for consent anyway
  // (smart-consent.ts), so the prompt is made explicit for them.
  provider.use(async (ctx, next) => {
    if (ctx.path === SMART_ROUTES.authorization && ctx.method === 'GET') {
      const scope = typeof ctx.query.scope === 'string' ? ctx.query.scope.split(' ') : [];
      if (scope.includes('offline_access') && ctx.query.prompt === undefined)
        ctx.query = { ...ctx.query, prompt: 'consent' };
    }
    await next();
  });
  // A public app's refresh without client_id (public-refresh.ts).
  provider.use(async (ctx, next) => {
    if (
      ctx.path === SMART_ROUTES.token &&
      ctx.method === 'POST' &&
      !ctx.get('authorization') &&
      ctx.is('application/x-www-form-urlencoded')
    ) {
      const body = await readFormBody(ctx.req);
      if (body === undefined) throw new errors.InvalidRequest('the request body is too large');
      const named = await namePublicRefreshClient(new URLSearchParams(body), accounts, now());
      ctx.req = ctx.request.req = replayWithBody(ctx.req, named ? named.toString() : body);
    }
    await next();
  });
  // The launch context beside the token (SMART App Launch 2.x, "Launch context arrives with your
  // access_token": `patient` and `encounter` are ids, not references).
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as Record<string, unknown> | undefined;
    if (ctx.oidc?.route !== 'token' || typeof body?.access_token !== 'string') return;
    const token = await accounts.findArtifact('AccessToken', body.access_token, now());
    const grantId = token ? (JSON.parse(token.payload) as { grantId?: string }).grantId : undefined;
    if (!grantId) return;
    // `scope` says everything authorized (SMART App Launch 2.x, token response), not only the FHIR
    // scopes of the access token: apps such as fhirclient look for offline_access there to refresh.
    const grant = await accounts.findArtifact('Grant', grantId, now());
    const consented = grant ? (JSON.parse(grant.payload) as { openid?: { scope?: string } }).openid?.scope : undefined;
    if (consented && typeof body.scope === 'string')
      body.scope = [...new Set([...consented.split(' '), ...body.scope.split(' ')])].filter(Boolean).join(' ');
    const context = await accounts.findArtifact('LaunchContext', grantId, now());
    const launched = context ? (JSON.parse(context.payload) as { patient?: string; encounter?: string }) : {};
    if (launched.patient) body.patient = launched.patient.replace(/^Patient\//, '');
    if (launched.encounter) body.encounter = launched.encounter.replace(/^Encounter\//, '');
  });
  return provider;
}
