// The PostgreSQL schema, as numbered migrations (table careloop_schema records how far a database
// has come). Migrations run at start under an advisory lock, so several servers starting at once
// apply each one exactly once. Never edit a released migration; add the next one.
//
// Same layout as the embedded schema, with one addition: every table that holds patient data carries
// `patient`, the patient compartment the row belongs to ('' for resources in no compartment, such as
// Practitioner), first in its primary key. That column is the distribution key of a sharded
// deployment (docs/scaling.md): a patient's rows, their versions and their index rows live together.
// Text compared by range (prefix searches) uses the C collation, so byte order is code point order.
import type { PgExecutor } from './postgres-database.js';

/** The value indexes, as data (dropped by a bulk load into an empty database, rebuilt at its end). */
export const PG_SECONDARY_INDEXES: readonly (readonly [name: string, definition: string])[] = [
  // Each ends with rid: a search probes "does row r have this value" (a semi-join) in the index
  // alone. (SQLite's indexes on WITHOUT ROWID tables carry the key, rid included, by themselves.)
  ['sp_string_value', 'sp_string (pid, norm, rid)'],
  ['sp_token_value', 'sp_token (pid, code, system, rid)'],
  ['sp_reference_target', 'sp_reference (pid, target_id, target_type, rid)'],
  ['sp_date_low', 'sp_date (pid, low, rid)'],
  ['sp_date_high', 'sp_date (pid, high, rid)'],
  ['sp_number_value', 'sp_number (pid, low, rid)'],
  ['sp_quantity_value', 'sp_quantity (pid, code, value, rid)'],
  ['sp_uri_value', 'sp_uri (pid, value, rid)'],
  ['sp_composite_value', 'sp_composite (pid, code1, code2, rid)'],
];

export function pgSecondaryIndexesSql(): string {
  return PG_SECONDARY_INDEXES.map(([name, def]) => `CREATE INDEX IF NOT EXISTS ${name} ON ${def};`).join('\n');
}

const T = 'text COLLATE "C" NOT NULL';

export const PG_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE SEQUENCE resource_rid_seq;

CREATE TABLE resource (
  patient ${T} DEFAULT '',
  rid bigint NOT NULL,
  type ${T},
  id ${T},
  version integer NOT NULL,
  last_updated bigint NOT NULL,
  deleted smallint NOT NULL DEFAULT 0,
  content text,
  PRIMARY KEY (patient, rid)
);
CREATE UNIQUE INDEX resource_rid ON resource (rid);
CREATE UNIQUE INDEX resource_type_id ON resource (type, id);
CREATE INDEX resource_type_updated ON resource (type, last_updated);

CREATE TABLE resource_history (
  patient ${T} DEFAULT '',
  rid bigint NOT NULL,
  version integer NOT NULL,
  last_updated bigint NOT NULL,
  deleted smallint NOT NULL,
  content text,
  PRIMARY KEY (patient, rid, version)
);
CREATE INDEX resource_history_rid ON resource_history (rid, version);
CREATE INDEX resource_history_updated ON resource_history (last_updated);

CREATE TABLE compartment (
  patient ${T},
  rid bigint NOT NULL,
  PRIMARY KEY (patient, rid)
);
CREATE INDEX compartment_rid ON compartment (rid);

CREATE TABLE search_param (
  pid serial PRIMARY KEY,
  type ${T},
  code ${T},
  UNIQUE (type, code)
);

CREATE TABLE sp_string (
  patient ${T} DEFAULT '', rid bigint NOT NULL, pid integer NOT NULL, norm ${T}, exact ${T},
  PRIMARY KEY (patient, rid, pid, exact)
);
CREATE TABLE sp_token (
  patient ${T} DEFAULT '', rid bigint NOT NULL, pid integer NOT NULL, system ${T}, code ${T},
  PRIMARY KEY (patient, rid, pid, system, code)
);
CREATE TABLE sp_reference (
  patient ${T} DEFAULT '', rid bigint NOT NULL, pid integer NOT NULL, target_type ${T}, target_id ${T},
  PRIMARY KEY (patient, rid, pid, target_type, target_id)
);
CREATE TABLE sp_date (
  patient ${T} DEFAULT '', rid bigint NOT NULL, pid integer NOT NULL, low bigint NOT NULL, high bigint NOT NULL,
  PRIMARY KEY (patient, rid, pid, low, high)
);
CREATE TABLE sp_number (
  patient ${T} DEFAULT '', rid bigint NOT NULL, pid integer NOT NULL, low double precision NOT NULL, high double precision NOT NULL,
  PRIMARY KEY (patient, rid, pid, low, high)
);
CREATE TABLE sp_quantity (
  patient ${T} DEFAULT '', rid bigint NOT NULL, pid integer NOT NULL, system ${T}, code ${T}, value double precision NOT NULL,
  PRIMARY KEY (patient, rid, pid, system, code, value)
);
CREATE TABLE sp_uri (
  patient ${T} DEFAULT '', rid bigint NOT NULL, pid integer NOT NULL, value ${T},
  PRIMARY KEY (patient, rid, pid, value)
);
CREATE TABLE sp_composite (
  patient ${T} DEFAULT '', rid bigint NOT NULL, pid integer NOT NULL,
  system1 ${T}, code1 ${T}, system2 ${T}, code2 ${T}, low2 double precision NOT NULL, high2 double precision NOT NULL,
  PRIMARY KEY (patient, rid, pid, system1, code1, system2, code2, low2, high2)
);
${pgSecondaryIndexesSql()}

CREATE TABLE job (
  id ${T} PRIMARY KEY,
  kind ${T},
  status ${T},
  payload text,
  result text,
  progress text,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  run_at bigint NOT NULL,
  attempts integer NOT NULL DEFAULT 0
);
CREATE INDEX job_due ON job (status, run_at);
`,
  },
  {
    version: 2,
    sql: `
CREATE TABLE account (
  id ${T} PRIMARY KEY,
  username ${T} UNIQUE,
  password_hash text NOT NULL,
  role ${T},
  links text NOT NULL DEFAULT '{}',
  totp_secret text,
  mfa_enabled smallint NOT NULL DEFAULT 0,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until bigint,
  disabled smallint NOT NULL DEFAULT 0,
  created_at bigint NOT NULL
);

CREATE TABLE session (
  id ${T} PRIMARY KEY,
  account_id text,
  client_id text,
  scope text NOT NULL,
  created_at bigint NOT NULL,
  last_seen bigint NOT NULL,
  expires_at bigint NOT NULL,
  refresh_hash text,
  revoked_at bigint,
  mfa_pending smallint NOT NULL DEFAULT 0
);
CREATE INDEX session_account ON session (account_id);

CREATE TABLE oauth_client (
  id ${T} PRIMARY KEY,
  secret_hash text NOT NULL,
  name text NOT NULL,
  scope text NOT NULL,
  disabled smallint NOT NULL DEFAULT 0,
  created_at bigint NOT NULL
);

CREATE TABLE access_grant (
  id ${T} PRIMARY KEY,
  account_id ${T},
  patient ${T},
  reason text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX access_grant_account ON access_grant (account_id, expires_at);

CREATE TABLE setting (
  key ${T} PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  recorded bigint NOT NULL,
  patient ${T} DEFAULT '',
  account ${T} DEFAULT '',
  kind ${T},
  record text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_log_recorded ON audit_log (recorded);
CREATE INDEX audit_log_account ON audit_log (account, seq);
CREATE TABLE audit_patient (
  patient ${T},
  seq bigint NOT NULL,
  PRIMARY KEY (patient, seq)
);
CREATE FUNCTION careloop_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END
$fn$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION careloop_audit_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION careloop_audit_append_only();
`,
  },
  {
    // User names unique whatever their case and Unicode form (the key is NFKC and case-folded; names
    // so far were ASCII, so lower() computes it); the last TOTP time step used, so a code works once.
    version: 3,
    sql: `
ALTER TABLE account ADD COLUMN username_key text COLLATE "C";
UPDATE account SET username_key = lower(username);
ALTER TABLE account ALTER COLUMN username_key SET NOT NULL;
CREATE UNIQUE INDEX account_username_folded ON account (username_key);
ALTER TABLE account ADD COLUMN totp_last_step bigint;
`,
  },
  {
    // The audit report filters and sorts by user, action and outcome: columns of their own, filled
    // for the entries already there from the entry itself (which the chain covers; these do not
    // change it). The append-only trigger is lifted for this one statement.
    version: 4,
    sql: `
ALTER TABLE audit_log ADD COLUMN username text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN action text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN status integer NOT NULL DEFAULT 0;
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change;
UPDATE audit_log SET
  username = coalesce(record::jsonb->>'username', ''),
  action = coalesce(record::jsonb->>'action', ''),
  status = coalesce((record::jsonb->>'status')::integer, 0);
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change;
CREATE INDEX audit_log_username ON audit_log (username, seq);
`,
  },
  {
    // Apps registered for SMART App Launch and Backend Services (src/access/auth/smart-apps.ts).
    version: 5,
    sql: `
CREATE TABLE smart_app (
  id ${T} PRIMARY KEY,
  name text NOT NULL,
  auth_method text NOT NULL,
  sealed_secret text,
  redirect_uris text NOT NULL,
  launch_uri text,
  scope text NOT NULL,
  jwks text,
  jwks_uri text,
  disabled smallint NOT NULL DEFAULT 0,
  created_at bigint NOT NULL
);
`,
  },
  {
    // The authorization server's short-lived state (src/access/auth/oidc/store-adapter.ts).
    version: 6,
    sql: `
CREATE TABLE oauth_artifact (
  model text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  payload text NOT NULL,
  grant_id text COLLATE "C",
  user_code text COLLATE "C",
  uid text COLLATE "C",
  expires_at bigint,
  consumed_at bigint,
  PRIMARY KEY (model, id)
);
CREATE INDEX oauth_artifact_grant ON oauth_artifact (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oauth_artifact_uid ON oauth_artifact (model, uid) WHERE uid IS NOT NULL;
CREATE INDEX oauth_artifact_user_code ON oauth_artifact (model, user_code) WHERE user_code IS NOT NULL;
CREATE INDEX oauth_artifact_expires ON oauth_artifact (expires_at) WHERE expires_at IS NOT NULL;
`,
  },
  {
    // What users allowed SMART apps, remembered and withdrawable (SmartConsent).
    version: 7,
    sql: `
CREATE TABLE smart_consent (
  grant_id text COLLATE "C" PRIMARY KEY,
  account_id text COLLATE "C" NOT NULL,
  client_id text COLLATE "C" NOT NULL,
  patient text COLLATE "C",
  scope text NOT NULL,
  given_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX smart_consent_account ON smart_consent (account_id, client_id);
CREATE INDEX smart_consent_expires ON smart_consent (expires_at);
`,
  },
  {
    // What hospital feeds sent, kept as received (FeedStore).
    version: 8,
    sql: `
CREATE TABLE feed_message (
  key text COLLATE "C" PRIMARY KEY,
  kind text NOT NULL,
  sender text NOT NULL,
  control_id text NOT NULL,
  type text NOT NULL,
  received_at bigint NOT NULL,
  raw text NOT NULL,
  outcome text NOT NULL,
  detail text
);
CREATE INDEX feed_message_received ON feed_message (received_at);
`,
  },
  {
    // The feed review worklist reads held messages (outcome review) without reading the log.
    version: 9,
    sql: `CREATE INDEX feed_message_outcome ON feed_message (outcome, received_at);`,
  },
];

/** Any fixed number: the advisory lock every Careloop server takes while it migrates. */
const MIGRATION_LOCK = 4_213_370_001;

/** Applies missing migrations; safe when several servers start at once (advisory lock). */
export async function migratePg(client: PgExecutor): Promise<void> {
  await client.run('SELECT pg_advisory_lock(?)', [MIGRATION_LOCK]);
  try {
    await client.run(
      'CREATE TABLE IF NOT EXISTS careloop_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const row = await client.get('SELECT COALESCE(MAX(version), 0) AS v FROM careloop_schema');
    const current = Number(row?.v ?? 0);
    for (const m of PG_MIGRATIONS) {
      if (m.version <= current) continue;
      await client.run('BEGIN');
      try {
        await client.run(m.sql);
        await client.run('INSERT INTO careloop_schema (version) VALUES (?)', [m.version]);
        await client.run('COMMIT');
      } catch (err) {
        await client.run('ROLLBACK');
        throw err;
      }
    }
    // A bulk load that did not finish left its value indexes dropped: build them.
    await client.run(pgSecondaryIndexesSql());
  } finally {
    await client.run('SELECT pg_advisory_unlock(?)', [MIGRATION_LOCK]);
  }
}
