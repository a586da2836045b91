import { expect, it } from 'vitest';
import { createSecretBox } from '../crypto/secret-box.js';
import { checkAppRegistration, checkRedirectUri, registerApp } from './smart-apps.js';

it.each([
  ['https://app.example.org/callback', undefined],
  ['http://localhost:9000/cb', undefined],
  ['http://127.0.0.1/cb', undefined],
  ['http://[::1]:8080/cb', undefined],
  ['org.example.coach:/oauth2redirect', undefined],
  ['http://app.example.org/cb', /only https, or http to localhost/],
  ['https://app.example.org/cb#x', /fragment/],
  ['myapp:/cb', /named for its domain/],
  ['/relative/cb', /not an absolute URI/],
  ['javascript:alert(1)', /named for its domain/],
] as const)('redirect URI %s', (uri, problem) => {
  const found = checkRedirectUri(uri);
  if (problem) expect(found).toMatch(problem);
  else expect(found).toBeUndefined();
});

const ecKey = { kty: 'EC', crv: 'P-384', x: 'x', y: 'y', kid: 'k1' };
const app = { name: 'Coach', redirectUris: ['https://coach.example.org/cb'] };

it.each([
  ['a public patient app', { ...app, public: true }, []],
  ['no name', { ...app, name: ' ' }, [/needs a name/]],
  ['an unknown scope', { ...app, scope: 'patient/Observation.rs admin' }, [/'admin' is not a SMART scope/]],
  ['a public app asking for system scopes', { ...app, public: true, scope: 'system/*.rs' }, [/confidential/]],
  ['a user-facing app without a redirect URI', { ...app, redirectUris: [] }, [/at least one redirect URI/]],
  [
    'a backend service with its keys and no redirect URI',
    { name: 'Payer', redirectUris: [], scope: 'system/*.rs', jwks: JSON.stringify({ keys: [ecKey] }) },
    [],
  ],
  [
    'a private key in the JWK Set',
    {
      name: 'Payer',
      redirectUris: [],
      scope: 'system/*.rs',
      jwks: JSON.stringify({ keys: [{ ...ecKey, d: 'secret' }] }),
    },
    [/private key/],
  ],
  [
    'keys by http URL',
    { name: 'Payer', redirectUris: [], scope: 'system/*.rs', jwksUri: 'http://payer.example.org/jwks' },
    [/must be https/],
  ],
  ['public and keyed', { ...app, public: true, jwksUri: 'https://x.example.org/jwks' }, [/not both/]],
  ['a launch URI over http', { ...app, launchUri: 'http://coach.example.org/launch' }, [/launch URI|only https/]],
] as const)('%s', (_name, input, expected) => {
  const problems = checkAppRegistration(input);
  expect(problems).toHaveLength(expected.length);
  for (const [i, p] of expected.entries()) expect(problems[i]).toMatch(p);
});

it('a confidential app gets a secret once, kept only sealed; a public one none', () => {
  const box = createSecretBox(Buffer.alloc(32, 7));
  const now = () => 1000;
  const confidential = registerApp({ box, now }, app);
  if (!confidential.ok) throw new Error(confidential.problems.join('; '));
  expect(confidential.app.authMethod).toBe('client_secret_basic');
  expect(confidential.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(confidential.app.sealedSecret).not.toContain(confidential.secret as string);
  expect(box.open(confidential.app.sealedSecret as string)).toBe(confidential.secret);
  const open = registerApp({ box, now }, { ...app, public: true });
  expect(open.ok && [open.app.authMethod, open.secret, open.app.sealedSecret]).toEqual(['none', undefined, undefined]);
  const keyed = registerApp(
    { box, now },
    { name: 'Payer', redirectUris: [], scope: 'system/*.rs', jwksUri: 'https://p.example.org/jwks' },
  );
  expect(keyed.ok && keyed.app.authMethod).toBe('private_key_jwt');
});
