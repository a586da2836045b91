import { describe, expect, it } from 'vitest';
import type { SmartApp } from '../../store/account-store.js';
import { createAppOriginCheck, originsOf } from './app-origins.js';

const app = (over: Partial<SmartApp>): SmartApp => ({
  id: 'a',
  name: 'A',
  authMethod: 'none',
  sealedSecret: undefined,
  redirectUris: [],
  launchUri: undefined,
  scope: '',
  jwks: undefined,
  jwksUri: undefined,
  disabled: false,
  createdAt: 0,
  ...over,
});

describe('originsOf', () => {
  it.each([
    [['https://app.example.org/cb', 'https://app.example.org/other'], undefined, ['https://app.example.org']],
    [
      ['http://localhost:9000/cb'],
      'https://launch.example.org/l?x=1',
      ['http://localhost:9000', 'https://launch.example.org'],
    ],
    [['com.example.app:/callback'], undefined, []],
  ])('%j with launch %s', (redirectUris, launchUri, expected) => {
    expect(originsOf(app({ redirectUris, launchUri }))).toEqual(expected);
  });
});

describe('createAppOriginCheck', () => {
  it('allows enabled apps only, and re-reads the registry after the TTL', async () => {
    let apps = [
      app({ redirectUris: ['https://one.example.org/cb'] }),
      app({ redirectUris: ['https://off.example.org/cb'], disabled: true }),
    ];
    let reads = 0;
    let clock = 0;
    const check = createAppOriginCheck(
      {
        listApps: async () => {
          reads++;
          return apps;
        },
      },
      () => clock,
      1000,
    );
    expect(await check('https://one.example.org')).toBe(true);
    expect(await check('https://off.example.org')).toBe(false);
    expect(await check('https://one.example.org.evil.test')).toBe(false);
    apps = [app({ redirectUris: ['https://two.example.org/cb'] })];
    expect(await check('https://two.example.org')).toBe(false);
    expect(reads).toBe(1);
    clock = 1001;
    expect(await check('https://two.example.org')).toBe(true);
    expect(await check('https://one.example.org')).toBe(false);
    expect(reads).toBe(2);
  });
});
