-- Switchboard schema V1, SQLite dialect.
--
-- Written so that db/migration/postgresql/V1 can mirror it column for column:
--   * ids are TEXT chosen by the application (no AUTOINCREMENT, no SERIAL);
--   * timestamps are INTEGER milliseconds since the epoch, UTC (BIGINT in PostgreSQL);
--   * money is INTEGER nano-USD (BIGINT); no floating point anywhere;
--   * booleans are INTEGER 0/1 with a CHECK (BOOLEAN in PostgreSQL; JDBC setBoolean binds both);
--   * enumerations are TEXT with a CHECK listing the values;
--   * STRICT makes SQLite enforce the declared types the way PostgreSQL does.

CREATE TABLE accounts (
  id         TEXT    NOT NULL PRIMARY KEY,
  name       TEXT    NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- Every key belongs to an account; until accounts are managed there is this one.
INSERT INTO accounts (id, name, created_at)
VALUES ('default', 'Default', CAST(strftime('%s', 'now') AS INTEGER) * 1000);

CREATE TABLE api_keys (
  hash            TEXT    NOT NULL PRIMARY KEY CHECK (length(hash) = 64), -- hex SHA-256 of the key
  account_id      TEXT    NOT NULL REFERENCES accounts (id),
  name            TEXT    NOT NULL,
  label           TEXT    NOT NULL, -- sk-sb-v1-abc...xyz, for display
  kind            TEXT    NOT NULL CHECK (kind IN ('inference', 'management')),
  disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  limit_usd_nanos INTEGER CHECK (limit_usd_nanos >= 0), -- NULL: unlimited
  limit_reset     TEXT    CHECK (limit_reset IN ('daily', 'weekly', 'monthly')), -- NULL: never
  expires_at      INTEGER, -- NULL: never
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  last_used_at    INTEGER
) STRICT;

CREATE INDEX api_keys_account_idx ON api_keys (account_id);

-- Append-only. No foreign keys on purpose: records outlive their keys, and in PostgreSQL this
-- table is partitioned by created_at (retention is a partition drop, and the primary key there
-- becomes (id, created_at)).
CREATE TABLE generations (
  id                   TEXT    NOT NULL PRIMARY KEY, -- gen-...
  key_hash             TEXT    NOT NULL,
  account_id           TEXT    NOT NULL,
  model                TEXT    NOT NULL,
  provider             TEXT,
  provider_model       TEXT,
  upstream_id          TEXT,
  status               TEXT    NOT NULL CHECK (status IN ('success', 'error', 'cancelled')),
  finish_reason        TEXT,
  native_finish_reason TEXT,
  streamed             INTEGER NOT NULL CHECK (streamed IN (0, 1)),
  prompt_tokens        INTEGER NOT NULL CHECK (prompt_tokens >= 0),
  completion_tokens    INTEGER NOT NULL CHECK (completion_tokens >= 0),
  cached_tokens        INTEGER, -- NULL: the provider did not say (not the same as 0)
  cache_write_tokens   INTEGER,
  reasoning_tokens     INTEGER,
  usage_estimated      INTEGER NOT NULL CHECK (usage_estimated IN (0, 1)),
  cost_nanos           INTEGER NOT NULL CHECK (cost_nanos >= 0),
  latency_ms           INTEGER NOT NULL,
  first_token_ms       INTEGER,
  attempts             INTEGER NOT NULL,
  error_code           INTEGER,
  error_message        TEXT,
  created_at           INTEGER NOT NULL
) STRICT;

CREATE INDEX generations_key_created_idx ON generations (key_hash, created_at);
CREATE INDEX generations_created_idx ON generations (created_at);
