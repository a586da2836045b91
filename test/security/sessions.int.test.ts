// Authentication as an attacker tries it: no token, tampered, forged and expired tokens, replayed
// refresh tokens, revoked and idle sessions, password guessing, skipping the second factor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClient } from '../../src/access/auth/clients.js';
import { totpCode } from '../../src/access/totp.js';
import { createClinicClock } from '../../src/care/calendar/clinic-clock.js';
import { bearer, http, type TestServer } from '../support/test-server.js';
import { HAROLD, type Login, login, startDemoServer, tokenOf } from './demo-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(async () => {
  await server.close();
});

const readHarold = (token: string) => http('GET', `${server.fhir}/Patient/${HAROLD}`, undefined, bearer(token));
const refresh = (refreshToken: string) =>
  http<Login & { error?: string; error_description?: string }>(
    'POST',
    `${server.url}/auth/token`,
    `grant_type=refresh_token&refresh_token=${encodeURIComponent(refreshToken)}`,
    { authorization: '', 'content-type': 'application/x-www-form-urlencoded' },
  );
/** A server clock the test moves forward instead of sleeping. */
function movableClock() {
  let offset = 0;
  return {
    clock: createClinicClock('America/New_York', () => Date.now() + offset),
    advance: (ms: number) => {
      offset += ms;
    },
  };
}

describe('access tokens', () => {
  it('no token: 401 with a Bearer challenge and no data', async () => {
    const res = await http('GET', `${server.fhir}/Patient/${HAROLD}`, undefined, { authorization: '' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.text).not.toContain('Brennan');
    expect(
      (await http('GET', `${server.fhir}/Patient`, undefined, { authorization: 'Basic YWRtaW46eA==' })).status,
    ).toBe(401);
  });

  it('a tampered token is refused', async () => {
    const token = await tokenOf(server, 'patient');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'system', scope: 'system/*.cruds' })).toString(
      'base64url',
    );
    const res = await readHarold(`${header}.${forged}.${signature}`);
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('Brennan');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${forged}.`;
    expect((await readHarold(unsigned)).status).toBe(401);
    // One character of the signature changed, well inside it: every bit there is signature data
    // (the last base64url character carries padding bits a decoder may ignore).
    const changed = signature[10] === 'A' ? 'B' : 'A';
    const flipped = `${header}.${payload}.${signature.slice(0, 10)}${changed}${signature.slice(11)}`;
    expect((await readHarold(flipped)).status).toBe(401);
  });

  it('an expired token is refused', async () => {
    // JWT expiry is in whole seconds (RFC 7519 NumericDate): the server's clock moves past it.
    const time = movableClock();
    const short = await startDemoServer({ authSettings: { accessTokenSeconds: 3 }, clock: time.clock });
    try {
      const res = await login(short, 'patient');
      expect(
        (await http('GET', `${short.fhir}/Patient/${HAROLD}`, undefined, bearer(res.body.access_token))).status,
      ).toBe(200);
      time.advance(3_100);
      const late = await http('GET', `${short.fhir}/Patient/${HAROLD}`, undefined, bearer(res.body.access_token));
      expect(late.status).toBe(401);
      expect(late.text).not.toContain('Brennan');
    } finally {
      await short.close();
    }
  });
});

describe('sessions', () => {
  it('a replayed refresh token ends the session', async () => {
    const first = await login(server, 'patient');
    const second = await refresh(first.body.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect((await readHarold(second.body.access_token)).status).toBe(200);
    const replay = await refresh(first.body.refresh_token);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    // The thief's replay ended the session for everyone holding its tokens.
    expect((await readHarold(second.body.access_token)).status).toBe(401);
    expect((await refresh(second.body.refresh_token)).status).toBe(400);
  });

  it('logout revokes the access and the refresh token', async () => {
    const session = await login(server, 'patient');
    const out = await http('POST', `${server.url}/auth/logout`, undefined, bearer(session.body.access_token));
    expect(out.status).toBe(204);
    expect((await readHarold(session.body.access_token)).status).toBe(401);
    expect((await refresh(session.body.refresh_token)).status).toBe(400);
  });

  it('RFC 7009 revocation ends a session by its refresh token', async () => {
    const session = await login(server, 'patient');
    const revoke = await http(
      'POST',
      `${server.url}/auth/revoke`,
      `token=${encodeURIComponent(session.body.refresh_token)}`,
      {
        authorization: '',
        'content-type': 'application/x-www-form-urlencoded',
      },
    );
    expect(revoke.status).toBe(200);
    expect((await readHarold(session.body.access_token)).status).toBe(401);
  });

  it('ends after the idle limit (automatic logoff), and cannot be refreshed back to life', async () => {
    const time = movableClock();
    const idle = await startDemoServer({ authSettings: { idleMs: 1_000 }, clock: time.clock });
    try {
      const session = await login(idle, 'patient');
      const read = () => http('GET', `${idle.fhir}/Patient/${HAROLD}`, undefined, bearer(session.body.access_token));
      expect((await read()).status).toBe(200);
      time.advance(1_300);
      const late = await read();
      expect(late.status).toBe(401);
      expect(late.text).toMatch(/without activity/);
      const revived = await http<{ error: string }>(
        'POST',
        `${idle.url}/auth/token`,
        `grant_type=refresh_token&refresh_token=${encodeURIComponent(session.body.refresh_token)}`,
        { authorization: '', 'content-type': 'application/x-www-form-urlencoded' },
      );
      expect(revived.status).toBe(400);
    } finally {
      await idle.close();
    }
  });
});

describe('sign-in', () => {
  it('does not say whether a user name exists', async () => {
    const unknown = await login(server, 'nobody-here', 'whatever-password');
    const wrong = await login(server, 'pharmacist', 'not-the-password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.text).toBe(wrong.text);
  });

  it('locks an account after five failed attempts, with a clear message, even for the right password', async () => {
    for (let i = 0; i < 4; i++) expect((await login(server, 'caregiver', `guess-${i}-password`)).status).toBe(401);
    const fifth = await login(server, 'caregiver', 'guess-5-password');
    expect(fifth.status).toBe(423);
    const right = await login(server, 'caregiver');
    expect(right.status).toBe(423);
    expect(right.text).toMatch(/locked/);
    expect(right.text).not.toContain('access_token');
    const admin = await tokenOf(server, 'admin');
    expect(
      (await http('POST', `${server.url}/auth/admin/users/caregiver/unlock`, undefined, bearer(admin))).status,
    ).toBe(204);
    expect((await login(server, 'caregiver')).status).toBe(200);
  });

  it('requires a second factor where the administrator asks for it', async () => {
    const admin = bearer(await tokenOf(server, 'admin'));
    const policy = await http('PUT', `${server.url}/auth/admin/mfa-policy`, { requiredRoles: ['pharmacist'] }, admin);
    expect(policy.status).toBe(200);
    try {
      const first = await login(server, 'pharmacist');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ mfa_enrollment_required: true });
      const pending = bearer(first.body.access_token);
      const blocked = await http('GET', `${server.fhir}/Patient/${HAROLD}`, undefined, pending);
      expect(blocked.status).toBe(403);
      expect(blocked.text).not.toContain('Brennan');
      const enrol = await http<{ secret: string; otpauth_uri: string }>(
        'POST',
        `${server.url}/auth/mfa/enrol`,
        undefined,
        pending,
      );
      expect(enrol.status).toBe(200);
      expect(enrol.body.otpauth_uri).toMatch(/^otpauth:\/\/totp\//);
      const wrongCode = await http('POST', `${server.url}/auth/mfa/confirm`, { code: '000000' }, pending);
      expect(wrongCode.status).toBe(400);
      const confirm = await http(
        'POST',
        `${server.url}/auth/mfa/confirm`,
        { code: totpCode(enrol.body.secret, Date.now()) },
        pending,
      );
      expect(confirm.status).toBe(200);
      const noCode = await login(server, 'pharmacist');
      expect(noCode.status).toBe(401);
      expect(noCode.body.error).toBe('mfa_required');
      const badCode = await login(server, 'pharmacist', undefined, '123456');
      expect(badCode.status).toBe(401);
      // The confirmation used the current code (a code works once): sign in with the next one.
      const withCode = await login(server, 'pharmacist', undefined, totpCode(enrol.body.secret, Date.now() + 30_000));
      expect(withCode.status).toBe(200);
      expect(
        (await http('GET', `${server.fhir}/Patient/${HAROLD}`, undefined, bearer(withCode.body.access_token))).status,
      ).toBe(200);
    } finally {
      await http('PUT', `${server.url}/auth/admin/mfa-policy`, { requiredRoles: [] }, admin);
    }
  });

  it('changes a password: the old one stops working and other sessions end', async () => {
    const other = await login(server, 'coordinator');
    const mine = await login(server, 'coordinator');
    const change = await http(
      'POST',
      `${server.url}/auth/password`,
      { current: 'careloop-demo-pass', next: 'a-new-long-passphrase' },
      bearer(mine.body.access_token),
    );
    expect(change.status).toBe(204);
    expect((await http('GET', `${server.fhir}/Patient`, undefined, bearer(other.body.access_token))).status).toBe(401);
    expect((await http('GET', `${server.fhir}/Patient`, undefined, bearer(mine.body.access_token))).status).toBe(200);
    expect((await login(server, 'coordinator')).status).toBe(401);
    expect((await login(server, 'coordinator', 'a-new-long-passphrase')).status).toBe(200);
    const weak = await http(
      'POST',
      `${server.url}/auth/password`,
      { current: 'a-new-long-passphrase', next: 'short' },
      bearer(mine.body.access_token),
    );
    expect(weak.status).toBe(400);
  });

  it('rate-limits sign-in attempts per address', async () => {
    const limited = await startDemoServer({ authRateLimit: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await login(limited, 'nobody', 'wrong-password-x')).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('backend clients', () => {
  it('get a token with client credentials and may export; a wrong secret gets nothing', async () => {
    const client = await addClient(server.access.auth, { name: 'Lakeside ADT feed' });
    if (!client.ok) throw new Error(client.message);
    const basic = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
    const token = await http<{ access_token: string; scope: string }>(
      'POST',
      `${server.url}/auth/token`,
      'grant_type=client_credentials&scope=system/*.rs',
      { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('system/*.rs');
    const auth = bearer(token.body.access_token);
    expect((await http('GET', `${server.fhir}/Patient/${HAROLD}`, undefined, auth)).status).toBe(200);
    const write = await http('POST', `${server.fhir}/Basic`, { resourceType: 'Basic', code: { text: 'x' } }, auth);
    expect(write.status).toBe(403);
    const kick = await http('GET', `${server.fhir}/$export?_type=Patient`, undefined, {
      ...auth,
      prefer: 'respond-async',
    });
    expect(kick.status).toBe(202);
    // Another client (or a user) cannot follow someone else's export: for them it does not exist.
    const status = kick.headers.get('content-location') as string;
    expect((await http('GET', status, undefined, bearer(server.token))).status).toBe(404);
    const wrong = await http<{ error: string }>(
      'POST',
      `${server.url}/auth/token`,
      `grant_type=client_credentials&client_id=${client.id}&client_secret=wrong`,
      { authorization: '', 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
  });

  it('SMART discovery is public and names the token endpoint', async () => {
    for (const path of ['/.well-known/smart-configuration', '/fhir/.well-known/smart-configuration']) {
      const res = await http<{ token_endpoint: string; capabilities: string[] }>(
        'GET',
        `${server.url}${path}`,
        undefined,
        {
          authorization: '',
        },
      );
      expect(res.status).toBe(200);
      expect(res.body.token_endpoint).toBe(`${server.url}/auth/smart/token`);
      expect(res.body.capabilities).toContain('permission-v2');
    }
    expect((await http('GET', `${server.fhir}/metadata`, undefined, { authorization: '' })).status).toBe(200);
  });
});

describe('hardening', () => {
  it('sends security headers and no CORS grant unless configured', async () => {
    const res = await http('GET', `${server.fhir}/metadata`, undefined, {
      authorization: '',
      origin: 'https://evil.example',
    });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBeTruthy();
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sanitizes narrative on the way in', async () => {
    const res = await http<{ text: { div: string } }>('POST', `${server.fhir}/Basic`, {
      resourceType: 'Basic',
      code: { text: 'note' },
      text: {
        status: 'generated',
        div: '<div xmlns="http://www.w3.org/1999/xhtml"><p onclick="steal()">Hi</p><script>steal()</script><a href=" \tjavascript:steal()">x</a><svg><circle/></svg></div>',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.text.div).not.toMatch(/script|onclick|javascript|svg/i);
    expect(res.body.text.div).toContain('Hi');
  });

  it('puts no stack trace or SQL in an error body', async () => {
    const res = await http('GET', `${server.fhir}/Patient?birthdate=not-a-date`);
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/SELECT|at \w+ \(|\.ts:\d+/);
  });
});
