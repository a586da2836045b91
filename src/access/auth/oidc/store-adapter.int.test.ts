// oidc-provider's storage on a real database: artifacts round-trip with their expiry, a code is
// consumed once (the second is invalid_grant), an assertion id is let through once, and a client is
// a registered app in service.
import { afterEach, expect, it } from 'vitest';
import { freshJobStore } from '../../../../test/support/job-test-store.js';
import { createSecretBox } from '../../crypto/secret-box.js';
import { registerApp } from '../smart-apps.js';
import { storeAdapter } from './store-adapter.js';

const fresh = freshJobStore();
let clock = 1_000_000;
afterEach(() => {
  clock = 1_000_000;
});
const box = createSecretBox(Buffer.alloc(32, 3));

it('keeps artifacts until they expire, consumes a code once, and sees a replayed assertion id', async () => {
  const store = await fresh.open();
  const adapter = storeAdapter({ accounts: store.accounts, box, now: () => clock });
  const codes = adapter('AuthorizationCode');
  await codes.upsert('c1', { grantId: 'g1', scope: 'openid' }, 60);
  expect(await codes.find('c1')).toEqual({ grantId: 'g1', scope: 'openid' });
  await codes.consume('c1');
  expect((await codes.find('c1'))?.consumed).toBe(1000);
  await expect(codes.consume('c1')).rejects.toMatchObject({ error: 'invalid_grant' });
  clock += 61_000;
  expect(await codes.find('c1')).toBeUndefined();

  const replay = adapter('ReplayDetection');
  expect(await replay.find('jti-hash')).toBeUndefined();
  expect(await replay.find('jti-hash')).toBeDefined();

  const interactions = adapter('Interaction');
  await interactions.upsert('i1', { uid: 'u1', returnTo: '/x' }, 600);
  expect((await interactions.findByUid('u1'))?.returnTo).toBe('/x');
  await adapter('Grant').upsert('g2', {}, 600);
  await codes.upsert('c2', { grantId: 'g2' }, 60);
  await codes.revokeByGrantId('g2');
  expect(await codes.find('c2')).toBeUndefined();
});

it('serves a registered app in service as a client, with its secret opened, and no removed one', async () => {
  const store = await fresh.open();
  const registered = registerApp(
    { box, now: () => clock },
    { name: 'Viewer', redirectUris: ['https://viewer.example.org/cb'], scope: 'launch openid user/*.rs' },
  );
  if (!registered.ok) throw new Error(registered.problems.join('; '));
  await store.accounts.createApp(registered.app);
  const clients = storeAdapter({ accounts: store.accounts, box, now: () => clock })('Client');
  expect(await clients.find(registered.app.id)).toMatchObject({
    client_id: registered.app.id,
    client_secret: registered.secret,
    redirect_uris: ['https://viewer.example.org/cb'],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_basic',
  });
  await store.accounts.disableApp(registered.app.id);
  expect(await clients.find(registered.app.id)).toBeUndefined();
});
