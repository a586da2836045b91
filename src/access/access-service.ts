// Everything the server needs from the access layer, assembled once at start: keys, the token
// signer, the authenticator, the cache of access decisions and the audit trail.
import type { Store } from '../store/store.js';
import { deriveAuditKey } from './audit/audit-key.js';
import { type AuditTrail, createAuditTrail } from './audit/audit-trail.js';
import { type AuthContext, type AuthSettings, DEFAULT_AUTH_SETTINGS } from './auth/auth-context.js';
import { type Authenticator, createAuthenticator } from './auth/authenticate.js';
import { createSecretBox } from './crypto/secret-box.js';
import { loadTokenSigner } from './crypto/tokens.js';
import { createPatientAccessCache, type PatientAccessCache } from './policy/patient-access-cache.js';

export interface AccessService {
  readonly auth: AuthContext;
  /** The key the audit chain and its anchors are sealed with (from the server's secret). */
  readonly auditKey: Buffer;
  readonly authenticator: Authenticator;
  readonly decisions: PatientAccessCache;
  readonly trail: AuditTrail;
}

/** Tokens name this issuer and audience; every server of a deployment shares it. */
export const TOKEN_ISSUER = 'urn:careloop';

export async function openAccessService(
  store: Store,
  options: { secretKey: Buffer; settings?: Partial<AuthSettings>; now?: () => number },
): Promise<AccessService> {
  const box = createSecretBox(options.secretKey);
  const auditKey = deriveAuditKey(options.secretKey);
  store.audit.setChainKey(auditKey);
  const now = options.now ?? (() => Date.now());
  const auth: AuthContext = {
    store,
    signer: await loadTokenSigner(store.accounts, TOKEN_ISSUER, box, now),
    box,
    settings: { ...DEFAULT_AUTH_SETTINGS, ...options.settings },
    now,
  };
  return {
    auth,
    auditKey,
    authenticator: createAuthenticator(auth),
    decisions: createPatientAccessCache(store, now),
    trail: createAuditTrail(store.audit),
  };
}
