// The SMART authorization server's endpoints, below the server's origin (oidc-provider's `routes`).
/** Where the authorization server's endpoints are, below the server's origin. */
export const SMART_PREFIX = '/auth/smart';

export const SMART_ROUTES = {
  authorization: `${SMART_PREFIX}/authorize`,
  token: `${SMART_PREFIX}/token`,
  jwks: `${SMART_PREFIX}/jwks`,
  introspection: `${SMART_PREFIX}/introspect`,
  revocation: `${SMART_PREFIX}/revoke`,
  userinfo: `${SMART_PREFIX}/userinfo`,
  end_session: `${SMART_PREFIX}/logout`,
  code_verification: `${SMART_PREFIX}/device`,
  device_authorization: `${SMART_PREFIX}/device/auth`,
  pushed_authorization_request: `${SMART_PREFIX}/par`,
  registration: `${SMART_PREFIX}/register`,
  backchannel_authentication: `${SMART_PREFIX}/backchannel`,
  challenge: `${SMART_PREFIX}/challenge`,
} as const;
