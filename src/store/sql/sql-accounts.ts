// Accounts, sessions, clients, SMART apps, grants and settings with SQL both dialects run.
import {
  type AccessGrant,
  type Account,
  type AccountStore,
  type OAuthArtifact,
  type OAuthClient,
  type Session,
  type SmartApp,
  type SmartConsent,
  UsernameTakenError,
  usernameKey,
} from '../account-store.js';
import type { JobExecutor } from './sql-jobs.js';
import type { Row } from './sql-reads.js';

const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

function toAccount(r: Row): Account {
  return {
    id: String(r.id),
    username: String(r.username),
    passwordHash: String(r.password_hash),
    role: String(r.role) as Account['role'],
    links: JSON.parse(String(r.links ?? '{}')) as Account['links'],
    totpSecret: str(r.totp_secret),
    mfaEnabled: Number(r.mfa_enabled) === 1,
    failedLogins: Number(r.failed_logins),
    lockedUntil: num(r.locked_until),
    disabled: Number(r.disabled) === 1,
    createdAt: Number(r.created_at),
  };
}

function toClient(r: Row): OAuthClient {
  return {
    id: String(r.id),
    secretHash: String(r.secret_hash),
    name: String(r.name),
    scope: String(r.scope),
    disabled: Number(r.disabled) === 1,
    createdAt: Number(r.created_at),
  };
}

function toApp(r: Row): SmartApp {
  return {
    id: String(r.id),
    name: String(r.name),
    authMethod: String(r.auth_method) as SmartApp['authMethod'],
    sealedSecret: str(r.sealed_secret),
    redirectUris: JSON.parse(String(r.redirect_uris)) as string[],
    launchUri: str(r.launch_uri),
    scope: String(r.scope),
    jwks: str(r.jwks),
    jwksUri: str(r.jwks_uri),
    disabled: Number(r.disabled) === 1,
    createdAt: Number(r.created_at),
  };
}

function toArtifact(r: Row | undefined): OAuthArtifact | undefined {
  return r ? { payload: String(r.payload), consumedAt: num(r.consumed_at) } : undefined;
}

function toSession(r: Row): Session {
  return {
    id: String(r.id),
    accountId: str(r.account_id),
    clientId: str(r.client_id),
    scope: String(r.scope),
    createdAt: Number(r.created_at),
    lastSeen: Number(r.last_seen),
    expiresAt: Number(r.expires_at),
    refreshHash: str(r.refresh_hash),
    revokedAt: num(r.revoked_at),
    mfaPending: Number(r.mfa_pending) === 1,
  };
}

/** Columns an update may set: the Account property each comes from, and how it is stored. */
const ACCOUNT_COLUMNS: readonly (readonly [string, keyof Account, (v: unknown) => unknown])[] = [
  ['username', 'username', (v) => v],
  ['username_key', 'username', (v) => usernameKey(String(v))],
  ['password_hash', 'passwordHash', (v) => v],
  ['role', 'role', (v) => v],
  ['links', 'links', (v) => JSON.stringify(v)],
  ['totp_secret', 'totpSecret', (v) => v ?? null],
  ['mfa_enabled', 'mfaEnabled', (v) => (v ? 1 : 0)],
  ['failed_logins', 'failedLogins', (v) => v],
  ['locked_until', 'lockedUntil', (v) => v ?? null],
  ['disabled', 'disabled', (v) => (v ? 1 : 0)],
];

/**
 * `read` runs queries; `write` runs a statement where the dialect serializes writes (SQLite's
 * single writer) or on the pool (PostgreSQL).
 */
export function sqlAccountStore(
  read: JobExecutor,
  write: <T>(fn: (db: JobExecutor) => Promise<T>) => Promise<T>,
): AccountStore {
  return {
    createAccount: (a) =>
      write(async (db) => {
        if (await db.get('SELECT 1 AS x FROM account WHERE username_key = ?', [usernameKey(a.username)])) {
          throw new UsernameTakenError(a.username);
        }
        try {
          await db.run(
            `INSERT INTO account (id, username, username_key, password_hash, role, links, totp_secret, mfa_enabled, failed_logins, locked_until, disabled, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              a.id,
              a.username,
              usernameKey(a.username),
              a.passwordHash,
              a.role,
              JSON.stringify(a.links),
              a.totpSecret ?? null,
              a.mfaEnabled ? 1 : 0,
              a.failedLogins,
              a.lockedUntil ?? null,
              a.disabled ? 1 : 0,
              a.createdAt,
            ],
          );
        } catch (err) {
          // Another server created the same name between the check and the insert.
          if (await db.get('SELECT 1 AS x FROM account WHERE username_key = ?', [usernameKey(a.username)])) {
            throw new UsernameTakenError(a.username);
          }
          throw err;
        }
      }),
    getAccount: async (id) => {
      const r = await read.get('SELECT * FROM account WHERE id = ?', [id]);
      return r ? toAccount(r) : undefined;
    },
    getAccountByUsername: async (username) => {
      const r = await read.get('SELECT * FROM account WHERE username_key = ?', [usernameKey(username)]);
      return r ? toAccount(r) : undefined;
    },
    listAccounts: async () => (await read.all('SELECT * FROM account ORDER BY username')).map(toAccount),
    takeLoginAttempt: (id, now, limit, lockMs) =>
      write(async (db) => {
        // One statement: the count and the lock are read and changed together, whatever runs beside it.
        const row = await db.get(
          `UPDATE account SET
             failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= ? THEN 1 ELSE failed_logins + 1 END,
             locked_until = CASE
               WHEN locked_until IS NOT NULL AND locked_until > ? THEN locked_until
               WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= ? THEN 1 ELSE failed_logins + 1 END) > ? THEN ?
               ELSE NULL END
           WHERE id = ? RETURNING failed_logins, locked_until`,
          [now, now, now, limit, now + lockMs, id],
        );
        const lockedUntil = num(row?.locked_until);
        if (!row || (lockedUntil !== undefined && lockedUntil > now)) {
          return { allowed: false, lockedUntil: lockedUntil ?? now + lockMs };
        }
        return { allowed: true, attempt: Number(row.failed_logins) };
      }),
    lockAccount: (id, until) =>
      write(async (db) => {
        await db.run('UPDATE account SET locked_until = ?, failed_logins = 0 WHERE id = ?', [until, id]);
      }),
    consumeTotpStep: (id, step) =>
      write(
        async (db) =>
          (await db.run(
            'UPDATE account SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)',
            [step, id, step],
          )) === 1,
      ),
    updateAccount: (id, patch) =>
      write(async (db) => {
        const sets: string[] = [];
        const params: unknown[] = [];
        for (const [column, key, encode] of ACCOUNT_COLUMNS) {
          if (!(key in patch)) continue;
          sets.push(`${column} = ?`);
          params.push(encode(patch[key as keyof typeof patch]));
        }
        if (sets.length) await db.run(`UPDATE account SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
      }),

    createSession: (s) =>
      write(async (db) => {
        await db.run(
          `INSERT INTO session (id, account_id, client_id, scope, created_at, last_seen, expires_at, refresh_hash, revoked_at, mfa_pending)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            s.id,
            s.accountId ?? null,
            s.clientId ?? null,
            s.scope,
            s.createdAt,
            s.lastSeen,
            s.expiresAt,
            s.refreshHash ?? null,
            s.revokedAt ?? null,
            s.mfaPending ? 1 : 0,
          ],
        );
      }),
    getSession: async (id) => {
      const r = await read.get('SELECT * FROM session WHERE id = ?', [id]);
      return r ? toSession(r) : undefined;
    },
    touchSession: (id, now) =>
      write(async (db) => {
        await db.run('UPDATE session SET last_seen = ? WHERE id = ? AND last_seen < ?', [now, id, now]);
      }),
    rotateRefresh: (id, expected, next, now) =>
      write(
        async (db) =>
          (await db.run(
            'UPDATE session SET refresh_hash = ?, last_seen = ? WHERE id = ? AND refresh_hash = ? AND revoked_at IS NULL',
            [next, now, id, expected],
          )) === 1,
      ),
    revokeSession: (id, now) =>
      write(async (db) => {
        await db.run('UPDATE session SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, id]);
      }),
    revokeAccountSessions: (accountId, now, except) =>
      write(async (db) => {
        await db.run('UPDATE session SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL AND id <> ?', [
          now,
          accountId,
          except ?? '',
        ]);
      }),

    createClient: (c: OAuthClient) =>
      write(async (db) => {
        await db.run(
          'INSERT INTO oauth_client (id, secret_hash, name, scope, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          [c.id, c.secretHash, c.name, c.scope, c.disabled ? 1 : 0, c.createdAt],
        );
      }),
    getClient: async (id) => {
      const r = await read.get('SELECT * FROM oauth_client WHERE id = ?', [id]);
      return r ? toClient(r) : undefined;
    },
    listClients: async () => (await read.all('SELECT * FROM oauth_client ORDER BY created_at')).map(toClient),

    createApp: (a: SmartApp) =>
      write(async (db) => {
        await db.run(
          `INSERT INTO smart_app (id, name, auth_method, sealed_secret, redirect_uris, launch_uri, scope, jwks, jwks_uri, disabled, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            a.id,
            a.name,
            a.authMethod,
            a.sealedSecret ?? null,
            JSON.stringify(a.redirectUris),
            a.launchUri ?? null,
            a.scope,
            a.jwks ?? null,
            a.jwksUri ?? null,
            a.disabled ? 1 : 0,
            a.createdAt,
          ],
        );
      }),
    getApp: async (id) => {
      const r = await read.get('SELECT * FROM smart_app WHERE id = ?', [id]);
      return r ? toApp(r) : undefined;
    },
    listApps: async () => (await read.all('SELECT * FROM smart_app ORDER BY created_at, id')).map(toApp),
    disableApp: (id) =>
      write(async (db) => (await db.run('UPDATE smart_app SET disabled = 1 WHERE id = ? AND disabled = 0', [id])) > 0),

    saveArtifact: (model, id, payload, index) =>
      write(async (db) => {
        await db.run(
          `INSERT INTO oauth_artifact (model, id, payload, grant_id, user_code, uid, expires_at, consumed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
           ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
             user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`,
          [
            model,
            id,
            payload,
            index.grantId ?? null,
            index.userCode ?? null,
            index.uid ?? null,
            index.expiresAt ?? null,
          ],
        );
      }),
    claimArtifact: (model, id, payload, expiresAt, now) =>
      write(
        async (db) =>
          (await db.run(
            `INSERT INTO oauth_artifact (model, id, payload, expires_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, expires_at = excluded.expires_at, consumed_at = NULL
             WHERE oauth_artifact.expires_at IS NOT NULL AND oauth_artifact.expires_at <= ?`,
            [model, id, payload, expiresAt, now],
          )) > 0,
      ),
    findArtifact: async (model, id, now) =>
      toArtifact(
        await read.get(
          'SELECT payload, consumed_at FROM oauth_artifact WHERE model = ? AND id = ? AND (expires_at IS NULL OR expires_at > ?)',
          [model, id, now],
        ),
      ),
    findArtifactBy: async (model, key, value, now) =>
      toArtifact(
        await read.get(
          `SELECT payload, consumed_at FROM oauth_artifact WHERE model = ? AND ${key === 'uid' ? 'uid' : 'user_code'} = ?
           AND (expires_at IS NULL OR expires_at > ?)`,
          [model, value, now],
        ),
      ),
    consumeArtifact: (model, id, now) =>
      write(
        async (db) =>
          (await db.run(
            'UPDATE oauth_artifact SET consumed_at = ? WHERE model = ? AND id = ? AND consumed_at IS NULL AND (expires_at IS NULL OR expires_at > ?)',
            [now, model, id, now],
          )) > 0,
      ),
    destroyArtifact: (model, id) =>
      write(async (db) => {
        await db.run('DELETE FROM oauth_artifact WHERE model = ? AND id = ?', [model, id]);
      }),
    destroyArtifactsOfGrant: (grantId) =>
      write(async (db) => {
        await db.run('DELETE FROM oauth_artifact WHERE grant_id = ?', [grantId]);
      }),
    deleteExpiredArtifacts: (now) =>
      write(async (db) => {
        await db.run('DELETE FROM smart_consent WHERE expires_at <= ?', [now]);
        return db.run('DELETE FROM oauth_artifact WHERE expires_at IS NOT NULL AND expires_at <= ?', [now]);
      }),

    saveConsent: (c: SmartConsent) =>
      write(async (db) => {
        await db.run(
          `INSERT INTO smart_consent (grant_id, account_id, client_id, patient, scope, given_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [c.grantId, c.accountId, c.clientId, c.patient ?? null, c.scope, c.givenAt, c.expiresAt],
        );
      }),
    listConsents: async (accountId, now) =>
      (
        await read.all(
          'SELECT * FROM smart_consent WHERE account_id = ? AND expires_at > ? ORDER BY given_at DESC, grant_id',
          [accountId, now],
        )
      ).map(
        (r): SmartConsent => ({
          grantId: String(r.grant_id),
          accountId: String(r.account_id),
          clientId: String(r.client_id),
          patient: str(r.patient),
          scope: String(r.scope),
          givenAt: Number(r.given_at),
          expiresAt: Number(r.expires_at),
        }),
      ),
    withdrawConsent: (accountId, grantId) =>
      write(async (db) => {
        const removed = await db.run('DELETE FROM smart_consent WHERE account_id = ? AND grant_id = ?', [
          accountId,
          grantId,
        ]);
        if (removed === 0) return false;
        await db.run("DELETE FROM oauth_artifact WHERE grant_id = ? OR (model = 'Grant' AND id = ?)", [
          grantId,
          grantId,
        ]);
        return true;
      }),

    createGrant: (g: AccessGrant) =>
      write(async (db) => {
        await db.run(
          'INSERT INTO access_grant (id, account_id, patient, reason, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
          [g.id, g.accountId, g.patient, g.reason, g.createdAt, g.expiresAt],
        );
      }),
    activeGrants: async (accountId, now) =>
      (
        await read.all('SELECT * FROM access_grant WHERE account_id = ? AND expires_at > ? ORDER BY created_at', [
          accountId,
          now,
        ])
      ).map((r) => ({
        id: String(r.id),
        accountId: String(r.account_id),
        patient: String(r.patient),
        reason: String(r.reason),
        createdAt: Number(r.created_at),
        expiresAt: Number(r.expires_at),
      })),

    getSetting: async (key) => str((await read.get('SELECT value FROM setting WHERE key = ?', [key]))?.value),
    setSettingIfAbsent: (key, value) =>
      write(async (db) => {
        await db.run('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, value]);
        return String((await db.get('SELECT value FROM setting WHERE key = ?', [key]))?.value);
      }),
    listSettings: async () =>
      (await read.all('SELECT key, value FROM setting ORDER BY key')).map((r) => [String(r.key), String(r.value)]),
    setSetting: (key, value) =>
      write(async (db) => {
        await db.run(
          'INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
          [key, value],
        );
      }),
  };
}
