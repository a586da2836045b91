// SMART App Launch discovery (hl7.org/fhir/smart-app-launch/conformance.html): what a SMART client
// needs to find the token endpoint and know which scopes and capabilities Careloop supports. Served
// at the FHIR base and at the server root.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessService } from '../../access/access-service.js';
import { SMART_ROUTES } from '../../access/auth/oidc/smart-routes.js';

/** The server's origin as the client reached it (or as configured): the issuer of its tokens. */
export function origin(req: FastifyRequest, baseUrl: string | undefined): string {
  if (baseUrl) return baseUrl.replace(/\/fhir\/?$/, '');
  return `${req.protocol}://${req.host}`;
}

export function registerSmartConfiguration(
  app: FastifyInstance,
  access: AccessService,
  baseUrl: string | undefined,
): void {
  const handler = async (req: FastifyRequest) => {
    const root = origin(req, baseUrl);
    return {
      issuer: root,
      jwks_uri: `${root}${SMART_ROUTES.jwks}`,
      authorization_endpoint: `${root}${SMART_ROUTES.authorization}`,
      token_endpoint: `${root}${SMART_ROUTES.token}`,
      introspection_endpoint: `${root}${SMART_ROUTES.introspection}`,
      revocation_endpoint: `${root}${SMART_ROUTES.revocation}`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: [
        'patient/*.rs',
        'patient/*.cruds',
        'user/*.rs',
        'user/*.cruds',
        'system/*.rs',
        'system/*.cruds',
        'openid',
        'fhirUser',
        'launch',
        'launch/patient',
        'offline_access',
        'online_access',
      ],
      response_types_supported: ['code'],
      capabilities: [
        'launch-ehr',
        'launch-standalone',
        'client-public',
        'client-confidential-symmetric',
        'client-confidential-asymmetric',
        'permission-v1',
        'permission-v2',
        'permission-patient',
        'permission-user',
        'permission-offline',
        'permission-online',
        'context-ehr-patient',
        'context-ehr-encounter',
        'context-standalone-patient',
        'sso-openid-connect',
      ],
      // Careloop's own sign-in (user name, password, second factor) and the token endpoint of its
      // sessions and of shared-secret clients made with `careloop client add`; not part of SMART.
      'careloop:login_endpoint': `${root}/auth/login`,
      'careloop:session_token_endpoint': `${root}/auth/token`,
    };
  };
  app.get('/.well-known/smart-configuration', { config: { public: true } }, handler);
  app.get('/fhir/.well-known/smart-configuration', { config: { public: true } }, handler);
  // The public key of Careloop's own session tokens (the SMART server's keys: its jwks_uri).
  app.get('/auth/jwks', { config: { public: true } }, async () => ({ keys: [access.auth.signer.publicJwk] }));
}
