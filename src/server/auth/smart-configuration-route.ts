// SMART App Launch discovery (hl7.org/fhir/smart-app-launch/conformance.html): what a SMART client
// needs to find the token endpoint and know which scopes and capabilities Careloop supports. Served
// at the FHIR base and at the server root.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessService } from '../../access/access-service.js';

function origin(req: FastifyRequest, baseUrl: string | undefined): string {
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
      jwks_uri: `${root}/auth/jwks`,
      token_endpoint: `${root}/auth/token`,
      revocation_endpoint: `${root}/auth/revoke`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      grant_types_supported: ['client_credentials', 'refresh_token'],
      scopes_supported: [
        'patient/*.rs',
        'patient/*.cruds',
        'user/*.rs',
        'user/*.cruds',
        'system/*.rs',
        'system/*.cruds',
        'openid',
        'fhirUser',
        'offline_access',
      ],
      response_types_supported: ['token'],
      capabilities: [
        'client-confidential-symmetric',
        'permission-v1',
        'permission-v2',
        'permission-patient',
        'permission-user',
        'permission-offline',
      ],
      // Careloop's own sign-in endpoint (user name, password, TOTP); not part of SMART.
      'careloop:login_endpoint': `${root}/auth/login`,
    };
  };
  app.get('/.well-known/smart-configuration', { config: { public: true } }, handler);
  app.get('/fhir/.well-known/smart-configuration', { config: { public: true } }, handler);
  app.get('/auth/jwks', { config: { public: true } }, async () => ({ keys: [access.auth.signer.publicJwk] }));
}
