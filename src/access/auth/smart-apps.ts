// Registering third-party apps for SMART App Launch 2.x and SMART Backend Services
// (hl7.org/fhir/smart-app-launch): what an app may register (its redirect URIs, launch URI, scopes
// and keys) is checked here, a confidential app's secret is made once and kept only sealed, and an
// app is taken out of service without losing its record.
import { randomBytes } from 'node:crypto';
import type { SmartApp } from '../../store/account-store.js';
import { newResourceId } from '../../store/ids/new-resource-id.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { OTHER_SCOPES, parseResourceScope } from '../scopes/smart-scopes.js';

export interface AppRegistration {
  readonly name: string;
  readonly redirectUris: readonly string[];
  readonly launchUri?: string | undefined;
  /** A browser or phone app that cannot keep a secret (PKCE only). */
  readonly public?: boolean;
  readonly scope?: string | undefined;
  /** Its public keys: a JWK Set (JSON text) or where to fetch it. Makes it a private_key_jwt client. */
  readonly jwks?: string | undefined;
  readonly jwksUri?: string | undefined;
}

/** How each kind of app proves who it is, in words (the CLI's list and the administrator's page). */
export const APP_KINDS: Readonly<Record<SmartApp['authMethod'], string>> = {
  none: 'public',
  client_secret_basic: 'confidential (secret)',
  private_key_jwt: 'confidential (keys)',
};

/** What an app gets when it names no scope: a patient-facing read-only app. */
export const DEFAULT_APP_SCOPE = 'launch/patient openid fhirUser patient/*.rs';

/** The launch and identity scopes an app may register besides resource scopes. */
const LAUNCH_SCOPES: ReadonlySet<string> = new Set([...OTHER_SCOPES, 'launch', 'launch/encounter']);

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A redirect URI an authorization server may send a code to: an absolute URI without a fragment
 * (RFC 6749 §3.1.2), over https, or http to the device itself, or a private-use scheme named for a
 * domain the app owns (RFC 8252 §7.1, §7.3; OAuth 2.0 Security BCP §4.1.3).
 */
export function checkRedirectUri(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `'${uri}' is not an absolute URI`;
  }
  if (url.hash || uri.includes('#')) return `'${uri}' has a fragment; a redirect URI may not (RFC 6749 §3.1.2)`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:')
    return LOOPBACK.has(url.hostname) ? undefined : `'${uri}' uses http; only https, or http to localhost, is allowed`;
  const scheme = url.protocol.slice(0, -1);
  return scheme.includes('.')
    ? undefined
    : `'${uri}' uses the scheme '${scheme}'; an app's own scheme is named for its domain (com.example.app)`;
}

function checkJwks(text: string): string | undefined {
  let set: { keys?: unknown };
  try {
    set = JSON.parse(text) as { keys?: unknown };
  } catch {
    return 'The JWK Set is not JSON';
  }
  if (!Array.isArray(set.keys) || set.keys.length === 0) return 'The JWK Set has no keys';
  for (const key of set.keys as Record<string, unknown>[]) {
    if (key.kty !== 'RSA' && key.kty !== 'EC') return 'Each key is RSA or EC (SMART Backend Services: RS384, ES384)';
    if ('d' in key) return 'The JWK Set holds a private key: register the public keys only';
  }
  return undefined;
}

/** Every problem with a registration, in words; empty when it may be registered. */
export function checkAppRegistration(input: AppRegistration): string[] {
  const problems: string[] = [];
  if (!input.name.trim() || input.name.length > 200) problems.push('An app needs a name (at most 200 characters)');
  const keyed = input.jwks !== undefined || input.jwksUri !== undefined;
  if (input.public && keyed) problems.push('A public app has no keys: give --public or its keys, not both');
  if (input.jwks !== undefined && input.jwksUri !== undefined)
    problems.push('Give its keys inline or by URL, not both');
  if (input.jwks !== undefined) {
    const problem = checkJwks(input.jwks);
    if (problem) problems.push(problem);
  }
  if (input.jwksUri !== undefined && !input.jwksUri.startsWith('https://'))
    problems.push('The JWK Set URL must be https');
  for (const uri of input.redirectUris) {
    const problem = checkRedirectUri(uri);
    if (problem) problems.push(problem);
  }
  if (input.launchUri !== undefined) {
    const problem = checkRedirectUri(input.launchUri);
    if (problem) problems.push(problem.replace('redirect URI', 'launch URI'));
  }
  const scopes = (input.scope ?? DEFAULT_APP_SCOPE).split(/\s+/).filter(Boolean);
  if (scopes.length === 0) problems.push('An app needs at least one scope');
  for (const scope of scopes) {
    const resource = parseResourceScope(scope);
    if (!resource && !LAUNCH_SCOPES.has(scope)) problems.push(`'${scope}' is not a SMART scope Careloop grants`);
    if (resource?.context === 'system' && input.public)
      problems.push(`A public app cannot hold '${scope}': system scopes are for confidential clients`);
  }
  const launches = scopes.some((s) => !s.startsWith('system/'));
  if (launches && input.redirectUris.length === 0)
    problems.push('An app that users sign in to needs at least one redirect URI');
  return problems;
}

export type AppRegistered =
  | { readonly ok: true; readonly app: SmartApp; readonly secret: string | undefined }
  | { readonly ok: false; readonly problems: readonly string[] };

export function registerApp(
  ctx: { readonly box: SecretBox; readonly now: () => number },
  input: AppRegistration,
): AppRegistered {
  const problems = checkAppRegistration(input);
  if (problems.length) return { ok: false, problems };
  const keyed = input.jwks !== undefined || input.jwksUri !== undefined;
  const authMethod: SmartApp['authMethod'] = input.public ? 'none' : keyed ? 'private_key_jwt' : 'client_secret_basic';
  const secret = authMethod === 'client_secret_basic' ? randomBytes(32).toString('base64url') : undefined;
  return {
    ok: true,
    secret,
    app: {
      id: newResourceId(),
      name: input.name.trim(),
      authMethod,
      sealedSecret: secret ? ctx.box.seal(secret) : undefined,
      redirectUris: [...input.redirectUris],
      launchUri: input.launchUri,
      scope: (input.scope ?? DEFAULT_APP_SCOPE).split(/\s+/).filter(Boolean).join(' '),
      jwks: input.jwks,
      jwksUri: input.jwksUri,
      disabled: false,
      createdAt: ctx.now(),
    },
  };
}
