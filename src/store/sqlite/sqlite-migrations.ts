// The embedded database schema, as numbered migrations applied in order at start (PRAGMA user_version
// records how far a database has come). Never edit a released migration; add the next one.
//
// Layout: `resource` holds the current version of every resource (content NULL once deleted) and its
// patient compartment key; `resource_history` the superseded versions; `compartment` every patient
// compartment a resource belongs to; one `sp_*` table per search parameter type, keyed by the
// resource's row id and the parameter's id in `search_param`. Index tables are WITHOUT ROWID and
// clustered by row id, so writing a resource appends and replacing its index is one range delete.

/**
 * The value indexes of the search tables, as data: created by the first migration and ensured on
 * every open, so that a bulk load into an empty database may drop them and build each once at the
 * end (building sorts an index once; maintaining it row by row cost about 60 µs per resource), and
 * an interrupted load repairs itself the next time the database is opened.
 */
export const SQLITE_SECONDARY_INDEXES: readonly (readonly [name: string, definition: string])[] = [
  ['sp_string_value', 'sp_string (pid, norm)'],
  ['sp_token_value', 'sp_token (pid, code, system)'],
  ['sp_reference_target', 'sp_reference (pid, target_id, target_type)'],
  ['sp_date_low', 'sp_date (pid, low)'],
  ['sp_date_high', 'sp_date (pid, high)'],
  ['sp_number_value', 'sp_number (pid, low)'],
  ['sp_quantity_value', 'sp_quantity (pid, code, value)'],
  ['sp_uri_value', 'sp_uri (pid, value)'],
  ['sp_composite_value', 'sp_composite (pid, code1, code2)'],
];

export function createSecondaryIndexesSql(): string {
  return SQLITE_SECONDARY_INDEXES.map(([name, def]) => `CREATE INDEX IF NOT EXISTS ${name} ON ${def};`).join('\n');
}

export const SQLITE_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE resource (
  rid INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  patient TEXT,
  content TEXT
);
CREATE UNIQUE INDEX resource_type_id ON resource (type, id);

CREATE TABLE resource_history (
  rid INTEGER NOT NULL,
  version INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  content TEXT,
  PRIMARY KEY (rid, version)
);
CREATE INDEX resource_history_updated ON resource_history (last_updated);

CREATE TABLE compartment (
  patient TEXT NOT NULL,
  rid INTEGER NOT NULL,
  PRIMARY KEY (patient, rid)
) WITHOUT ROWID;

CREATE TABLE search_param (
  pid INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  code TEXT NOT NULL,
  UNIQUE (type, code)
);

CREATE TABLE sp_string (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL, norm TEXT NOT NULL, exact TEXT NOT NULL,
  PRIMARY KEY (rid, pid, exact)
) WITHOUT ROWID;

CREATE TABLE sp_token (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL, system TEXT NOT NULL, code TEXT NOT NULL,
  PRIMARY KEY (rid, pid, system, code)
) WITHOUT ROWID;

CREATE TABLE sp_reference (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL, target_type TEXT NOT NULL, target_id TEXT NOT NULL,
  PRIMARY KEY (rid, pid, target_type, target_id)
) WITHOUT ROWID;

CREATE TABLE sp_date (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL, low INTEGER NOT NULL, high INTEGER NOT NULL,
  PRIMARY KEY (rid, pid, low, high)
) WITHOUT ROWID;

CREATE TABLE sp_number (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL, low REAL NOT NULL, high REAL NOT NULL,
  PRIMARY KEY (rid, pid, low, high)
) WITHOUT ROWID;

CREATE TABLE sp_quantity (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL, system TEXT NOT NULL, code TEXT NOT NULL, value REAL NOT NULL,
  PRIMARY KEY (rid, pid, system, code, value)
) WITHOUT ROWID;

CREATE TABLE sp_uri (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (rid, pid, value)
) WITHOUT ROWID;

CREATE TABLE sp_composite (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL,
  system1 TEXT NOT NULL, code1 TEXT NOT NULL, system2 TEXT NOT NULL, code2 TEXT NOT NULL,
  low2 REAL NOT NULL, high2 REAL NOT NULL,
  PRIMARY KEY (rid, pid, system1, code1, system2, code2, low2, high2)
) WITHOUT ROWID;

CREATE TABLE job (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  payload TEXT,
  result TEXT,
  progress TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  run_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX job_due ON job (status, run_at);
CREATE INDEX resource_type_updated ON resource (type, last_updated);
CREATE INDEX compartment_rid ON compartment (rid);
${createSecondaryIndexesSql()}
`,
  },
  {
    version: 2,
    sql: `
CREATE TABLE account (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  links TEXT NOT NULL DEFAULT '{}',
  totp_secret TEXT,
  mfa_enabled INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE session (
  id TEXT PRIMARY KEY,
  account_id TEXT,
  client_id TEXT,
  scope TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  refresh_hash TEXT,
  revoked_at INTEGER,
  mfa_pending INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX session_account ON session (account_id);

CREATE TABLE oauth_client (
  id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  scope TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE access_grant (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  patient TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX access_grant_account ON access_grant (account_id, expires_at);

CREATE TABLE setting (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
  },
  {
    // User names unique whatever their case and Unicode form (the key is NFKC and case-folded; names
    // so far were ASCII, so lower() computes it); the last TOTP time step used, so a code works once.
    version: 3,
    sql: `
ALTER TABLE account ADD COLUMN username_key TEXT;
UPDATE account SET username_key = lower(username);
CREATE UNIQUE INDEX account_username_folded ON account (username_key);
ALTER TABLE account ADD COLUMN totp_last_step INTEGER;
`,
  },
  {
    // Apps registered for SMART App Launch and Backend Services (src/access/auth/smart-apps.ts).
    version: 4,
    sql: `
CREATE TABLE smart_app (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  auth_method TEXT NOT NULL,
  sealed_secret TEXT,
  redirect_uris TEXT NOT NULL,
  launch_uri TEXT,
  scope TEXT NOT NULL,
  jwks TEXT,
  jwks_uri TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
`,
  },
  {
    // The authorization server's short-lived state (src/access/auth/oidc/store-adapter.ts).
    version: 5,
    sql: `
CREATE TABLE oauth_artifact (
  model TEXT NOT NULL,
  id TEXT NOT NULL,
  payload TEXT NOT NULL,
  grant_id TEXT,
  user_code TEXT,
  uid TEXT,
  expires_at INTEGER,
  consumed_at INTEGER,
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
    version: 6,
    sql: `
CREATE TABLE smart_consent (
  grant_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  patient TEXT,
  scope TEXT NOT NULL,
  given_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX smart_consent_account ON smart_consent (account_id, client_id);
CREATE INDEX smart_consent_expires ON smart_consent (expires_at);
`,
  },
  {
    // What hospital feeds sent, kept as received (FeedStore).
    version: 7,
    sql: `
CREATE TABLE feed_message (
  key TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  sender TEXT NOT NULL,
  control_id TEXT NOT NULL,
  type TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  raw TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX feed_message_received ON feed_message (received_at);
`,
  },
  {
    // The feed review worklist reads held messages (outcome review) without reading the log.
    version: 8,
    sql: `CREATE INDEX feed_message_outcome ON feed_message (outcome, received_at);`,
  },
];

/**
 * The audit log lives in a database file of its own beside the main one (attached as `audit`):
 * an audit entry comes with every request, and its commits would otherwise fill the main
 * database's write-ahead log and slow every read of resources. Small pages: its rows are small and
 * its commits frequent.
 */
export const SQLITE_AUDIT_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE audit.audit_log (
  seq INTEGER PRIMARY KEY,
  recorded INTEGER NOT NULL,
  patient TEXT NOT NULL DEFAULT '',
  account TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  record TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit.audit_log_recorded ON audit_log (recorded);
CREATE INDEX audit.audit_log_account ON audit_log (account, seq);
CREATE TABLE audit.audit_patient (
  patient TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (patient, seq)
) WITHOUT ROWID;
CREATE TRIGGER audit.audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit.audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`,
  },
  {
    // The audit report filters and sorts by user, action and outcome: columns of their own, filled
    // for the entries already there from the entry itself (which the chain covers; these do not
    // change it). The append-only trigger is lifted for this one statement.
    version: 2,
    sql: `
ALTER TABLE audit.audit_log ADD COLUMN username TEXT NOT NULL DEFAULT '';
ALTER TABLE audit.audit_log ADD COLUMN action TEXT NOT NULL DEFAULT '';
ALTER TABLE audit.audit_log ADD COLUMN status INTEGER NOT NULL DEFAULT 0;
DROP TRIGGER audit.audit_log_no_update;
UPDATE audit.audit_log SET
  username = coalesce(json_extract(record, '$.username'), ''),
  action = coalesce(json_extract(record, '$.action'), ''),
  status = coalesce(json_extract(record, '$.status'), 0);
CREATE TRIGGER audit.audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE INDEX audit.audit_log_username ON audit_log (username, seq);
`,
  },
];
