// A client secret or an assertion cannot be guessed at speed: the SMART token endpoint answers 429
// with Retry-After to an address past the sign-in rate limit (CARELOOP_AUTH_RATE_LIMIT).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ authRateLimit: 5 });
});
afterAll(async () => {
  await server?.close();
});

it('refuses the sixth guess within a minute, whatever the client', async () => {
  const guess = (i: number) =>
    fetch(`${server.url}/auth/smart/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`client-${i}:guess-${i}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.rs' }),
    });
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await guess(i)).status);
  expect(statuses).toEqual([401, 401, 401, 401, 401]);
  const limited = await guess(5);
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
});
