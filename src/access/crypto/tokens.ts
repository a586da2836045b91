// Signed access tokens (JWT, ES256). The signing key is made once and kept in the database's
// settings, so that every server of a deployment signs and checks with the same key. The one place
// that uses jose.
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';

export type { JWK };

import type { AccountStore } from '../../store/account-store.js';
import type { SecretBox } from './secret-box.js';

export interface AccessClaims {
  /** Account id, or `client:<id>` for a backend client. */
  readonly sub: string;
  readonly sid: string;
  readonly role: string;
  readonly scope: string;
  readonly fhirUser?: string;
  readonly exp: number;
}

export interface TokenSigner {
  sign(claims: Omit<AccessClaims, 'exp'>, ttlSeconds: number): Promise<string>;
  /** The claims of a valid token; throws on a bad signature, a wrong issuer or an expired token. */
  verify(token: string): Promise<AccessClaims>;
  readonly publicJwk: JWK;
}

/** A new private signing key as a JWK (with its `alg`, `use` and a random `kid`), for a key kept sealed. */
export async function generateSigningJwk(alg: 'ES256' | 'ES384'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), alg, use: 'sig', kid: crypto.randomUUID() };
}

const SETTING = 'jwt-signing-key';
const ALG = 'ES256';

/** The key is stored sealed with the server's secret key, made once and shared by every server. */
export async function loadTokenSigner(
  accounts: AccountStore,
  issuer: string,
  box: SecretBox,
  now: () => number = () => Date.now(),
): Promise<TokenSigner> {
  let stored = await accounts.getSetting(SETTING);
  if (!stored) {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: ALG, kid: crypto.randomUUID() };
    stored = await accounts.setSettingIfAbsent(SETTING, box.seal(JSON.stringify(jwk)));
  }
  let jwk: JWK;
  try {
    jwk = JSON.parse(box.open(stored)) as JWK;
  } catch {
    throw new Error(
      'The token-signing key cannot be opened with this secret key: start every server with the same CARELOOP_SECRET or key file',
    );
  }
  const privateKey = await importJWK(jwk, ALG);
  const { d: _private, ...publicJwk } = jwk;
  const publicKey = await importJWK(publicJwk, ALG);
  return {
    publicJwk,
    sign: (claims, ttl) =>
      new SignJWT({
        sid: claims.sid,
        role: claims.role,
        scope: claims.scope,
        ...(claims.fhirUser ? { fhirUser: claims.fhirUser } : {}),
      })
        .setProtectedHeader({ alg: ALG, kid: String(jwk.kid ?? '') })
        .setSubject(claims.sub)
        .setIssuer(issuer)
        .setAudience(issuer)
        // The clock is injected (tests move it instead of sleeping): issued and expiry from it.
        .setIssuedAt(Math.floor(now() / 1000))
        .setExpirationTime(Math.floor(now() / 1000) + ttl)
        .setJti(crypto.randomUUID())
        .sign(privateKey),
    verify: async (token) => {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer,
        audience: issuer,
        algorithms: [ALG],
        currentDate: new Date(now()),
      });
      if (
        typeof payload.sub !== 'string' ||
        typeof payload.sid !== 'string' ||
        typeof payload.role !== 'string' ||
        typeof payload.scope !== 'string'
      ) {
        throw new Error('Malformed token');
      }
      return {
        sub: payload.sub,
        sid: payload.sid,
        role: payload.role,
        scope: payload.scope,
        ...(typeof payload.fhirUser === 'string' ? { fhirUser: payload.fhirUser } : {}),
        exp: Number(payload.exp),
      };
    },
  };
}
