-- Switchboard schema V1, PostgreSQL dialect: db/migration/sqlite/V1 column for column.
--
-- Porting rules (the SQLite file's header):
--   * ids are TEXT chosen by the application (no SERIAL);
--   * timestamps are BIGINT milliseconds since the epoch, UTC, as in SQLite, so both back-ends
--     bind and read them the same way and the partition bounds below are plain integers;
--   * money is BIGINT nano-USD; no floating point anywhere;
--   * booleans are BOOLEAN (JDBC setBoolean/getBoolean work on both);
--   * enumerations are TEXT with a CHECK listing the values.
-- Objects are created unqualified, in the connection's current schema (the url's currentSchema).

CREATE TABLE accounts (
  id         TEXT   NOT NULL PRIMARY KEY,
  name       TEXT   NOT NULL,
  created_at BIGINT NOT NULL
);

-- Every key belongs to an account; until accounts are managed there is this one.
INSERT INTO accounts (id, name, created_at)
VALUES ('default', 'Default', (extract(epoch FROM now()) * 1000)::BIGINT);

CREATE TABLE api_keys (
  hash            TEXT    NOT NULL PRIMARY KEY CHECK (length(hash) = 64), -- hex SHA-256 of the key
  account_id      TEXT    NOT NULL REFERENCES accounts (id),
  name            TEXT    NOT NULL,
  label           TEXT    NOT NULL, -- sk-sb-v1-abc...xyz, for display
  kind            TEXT    NOT NULL CHECK (kind IN ('inference', 'management')),
  disabled        BOOLEAN NOT NULL DEFAULT FALSE,
  limit_usd_nanos BIGINT  CHECK (limit_usd_nanos >= 0), -- NULL: unlimited
  limit_reset     TEXT    CHECK (limit_reset IN ('daily', 'weekly', 'monthly')), -- NULL: never
  expires_at      BIGINT, -- NULL: never
  created_at      BIGINT  NOT NULL,
  updated_at      BIGINT  NOT NULL,
  last_used_at    BIGINT
);

CREATE INDEX api_keys_account_idx ON api_keys (account_id);

-- Append-only, no foreign keys (records outlive their keys), and partitioned by month of
-- created_at so that retention is DROP TABLE of a month's partition, not a long DELETE.
--
-- A partitioned table's unique keys must contain the partition key, so the primary key is
-- (id, created_at): the database enforces ids unique per instant, not across months. Ids are
-- made of the creation millisecond and 63 random bits (http.GenerationIds), so two records never
-- share one in practice.
--
-- No partition is created here: the application creates one per UTC month, named
-- generations_yYYYYmMM, for the current month and the next few at start-up and daily
-- (PostgresGenerationRepository.ensurePartitions), and on demand for any other month a record
-- falls in. Indexes declared on this table are created on every partition automatically.
CREATE TABLE generations (
  id                   TEXT    NOT NULL, -- gen-...
  key_hash             TEXT    NOT NULL,
  account_id           TEXT    NOT NULL,
  model                TEXT    NOT NULL,
  provider             TEXT,
  provider_model       TEXT,
  upstream_id          TEXT,
  status               TEXT    NOT NULL CHECK (status IN ('success', 'error', 'cancelled')),
  finish_reason        TEXT,
  native_finish_reason TEXT,
  streamed             BOOLEAN NOT NULL,
  prompt_tokens        BIGINT  NOT NULL CHECK (prompt_tokens >= 0),
  completion_tokens    BIGINT  NOT NULL CHECK (completion_tokens >= 0),
  cached_tokens        BIGINT, -- NULL: the provider did not say (not the same as 0)
  cache_write_tokens   BIGINT,
  reasoning_tokens     BIGINT,
  usage_estimated      BOOLEAN NOT NULL,
  cost_nanos           BIGINT  NOT NULL CHECK (cost_nanos >= 0),
  latency_ms           BIGINT  NOT NULL,
  first_token_ms       BIGINT,
  attempts             INTEGER NOT NULL,
  error_code           INTEGER,
  error_message        TEXT,
  created_at           BIGINT  NOT NULL,
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX generations_key_created_idx ON generations (key_hash, created_at);
CREATE INDEX generations_created_idx ON generations (created_at);
