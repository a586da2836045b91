// The embedded database schema, as numbered migrations applied in order at start (PRAGMA user_version
// records how far a database has come). Never edit a released migration; add the next one.
//
// Layout: `resource` holds the current version of every resource (content NULL once deleted) and its
// patient compartment key; `resource_history` the superseded versions; `compartment` every patient
// compartment a resource belongs to; one `sp_*` table per search parameter type, keyed by the
// resource's row id and the parameter's id in `search_param`. Index tables are WITHOUT ROWID and
// clustered by row id, so writing a resource appends and replacing its index is one range delete.
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
CREATE INDEX resource_type_updated ON resource (type, last_updated);
CREATE INDEX resource_updated ON resource (last_updated);

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
CREATE INDEX compartment_rid ON compartment (rid);

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
CREATE INDEX sp_string_value ON sp_string (pid, norm);

CREATE TABLE sp_token (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL, system TEXT NOT NULL, code TEXT NOT NULL,
  PRIMARY KEY (rid, pid, system, code)
) WITHOUT ROWID;
CREATE INDEX sp_token_value ON sp_token (pid, code, system);

CREATE TABLE sp_reference (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL, target_type TEXT NOT NULL, target_id TEXT NOT NULL,
  PRIMARY KEY (rid, pid, target_type, target_id)
) WITHOUT ROWID;
CREATE INDEX sp_reference_target ON sp_reference (pid, target_id, target_type);

CREATE TABLE sp_date (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL, low INTEGER NOT NULL, high INTEGER NOT NULL,
  PRIMARY KEY (rid, pid, low, high)
) WITHOUT ROWID;
CREATE INDEX sp_date_low ON sp_date (pid, low);
CREATE INDEX sp_date_high ON sp_date (pid, high);

CREATE TABLE sp_number (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL, low REAL NOT NULL, high REAL NOT NULL,
  PRIMARY KEY (rid, pid, low, high)
) WITHOUT ROWID;
CREATE INDEX sp_number_value ON sp_number (pid, low);

CREATE TABLE sp_quantity (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL, system TEXT NOT NULL, code TEXT NOT NULL, value REAL NOT NULL,
  PRIMARY KEY (rid, pid, system, code, value)
) WITHOUT ROWID;
CREATE INDEX sp_quantity_value ON sp_quantity (pid, code, value);

CREATE TABLE sp_uri (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (rid, pid, value)
) WITHOUT ROWID;
CREATE INDEX sp_uri_value ON sp_uri (pid, value);

CREATE TABLE sp_composite (
  rid INTEGER NOT NULL, pid INTEGER NOT NULL,
  system1 TEXT NOT NULL, code1 TEXT NOT NULL, system2 TEXT NOT NULL, code2 TEXT NOT NULL,
  low2 REAL NOT NULL, high2 REAL NOT NULL,
  PRIMARY KEY (rid, pid, system1, code1, system2, code2, low2, high2)
) WITHOUT ROWID;
CREATE INDEX sp_composite_value ON sp_composite (pid, code1, code2);

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
`,
  },
];
