// oidc-provider's storage on Careloop's store (src/store/account-store.ts: the oauth_artifact
// table), so that every server of a deployment shares the authorization server's state, on SQLite
// and PostgreSQL alike. Two of its models need what a plain key-value store does not give:
// - ReplayDetection (a backend service's assertion `jti`, SMART Backend Services §"Authenticating"):
//   oidc-provider looks an id up and then saves it, which two servers could both pass. Here the
//   lookup claims the id atomically, so exactly one request with a given `jti` is let through.
// - AuthorizationCode: consuming is atomic too; a second exchange of one code is `invalid_grant`
//   (RFC 6749 §4.1.2: a code is used once), even when two servers race.
// Clients are the registered SMART apps (src/access/auth/smart-apps.ts), read on each use, so a
// removed app stops working at once.
import { type Adapter, type AdapterPayload, errors } from 'oidc-provider';
import type { AccountStore, SmartApp } from '../../../store/account-store.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import { PROVIDER_SCOPES } from './smart-scope-rules.js';

/** The client metadata (RFC 7591 names) oidc-provider reads for a registered app. */
export function clientMetadataOf(app: SmartApp, box: SecretBox): AdapterPayload {
  const launches = app.redirectUris.length > 0;
  const ownScopes = app.scope
    .split(' ')
    .filter((s) => PROVIDER_SCOPES.includes(s))
    .join(' ');
  const system = app.scope.split(' ').some((s) => s.startsWith('system/'));
  return {
    client_id: app.id,
    client_name: app.name,
    redirect_uris: [...app.redirectUris],
    response_types: launches ? ['code'] : [],
    grant_types: [
      ...(launches ? ['authorization_code', 'refresh_token'] : []),
      ...(system && app.authMethod !== 'none' ? ['client_credentials'] : []),
    ],
    token_endpoint_auth_method: app.authMethod,
    ...(app.authMethod === 'client_secret_basic' && app.sealedSecret
      ? { client_secret: box.open(app.sealedSecret) }
      : {}),
    ...(app.jwks ? { jwks: JSON.parse(app.jwks) as AdapterPayload['jwks'] } : {}),
    ...(app.jwksUri ? { jwks_uri: app.jwksUri } : {}),
    // oidc-provider's own scopes only (openid, fhirUser, launch...); the FHIR scopes an app may be
    // granted are read from its registration when a token is made (smart-provider.ts).
    ...(ownScopes ? { scope: ownScopes } : {}),
  };
}

export function storeAdapter(options: {
  readonly accounts: AccountStore;
  readonly box: SecretBox;
  readonly now: () => number;
}): (model: string) => Adapter {
  const { accounts, box, now } = options;
  const parse = (found: { payload: string; consumedAt: number | undefined } | undefined) =>
    found
      ? {
          ...(JSON.parse(found.payload) as AdapterPayload),
          ...(found.consumedAt !== undefined ? { consumed: Math.floor(found.consumedAt / 1000) } : {}),
        }
      : undefined;
  return (model) => ({
    upsert: async (id, payload, expiresIn) => {
      await accounts.saveArtifact(model, id, JSON.stringify(payload), {
        grantId: payload.grantId,
        userCode: payload.userCode,
        uid: payload.uid,
        expiresAt: expiresIn ? now() + expiresIn * 1000 : undefined,
      });
    },
    find: async (id) => {
      if (model === 'Client') {
        const app = await accounts.getApp(id);
        return app && !app.disabled ? clientMetadataOf(app, box) : undefined;
      }
      if (model === 'ReplayDetection') {
        // Claimed now for the next minutes; oidc-provider's save that follows sets its real expiry.
        const first = await accounts.claimArtifact(model, id, '{}', now() + 10 * 60_000, now());
        return first ? undefined : { iss: 'replayed' };
      }
      return parse(await accounts.findArtifact(model, id, now()));
    },
    findByUid: async (uid) => parse(await accounts.findArtifactBy(model, 'uid', uid, now())),
    findByUserCode: async (userCode) => parse(await accounts.findArtifactBy(model, 'userCode', userCode, now())),
    consume: async (id) => {
      if (!(await accounts.consumeArtifact(model, id, now())))
        throw new errors.InvalidGrant('authorization code already used');
    },
    destroy: async (id) => {
      await accounts.destroyArtifact(model, id);
    },
    revokeByGrantId: async (grantId) => {
      await accounts.destroyArtifactsOfGrant(grantId);
    },
  });
}
