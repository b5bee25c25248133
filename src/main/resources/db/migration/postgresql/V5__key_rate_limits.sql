-- Switchboard schema V5, PostgreSQL dialect: db/migration/sqlite/V5 column for column.
--
-- A key's own rate limit (the key API's "rate_limit"), in its own table so the key rows stay as
-- they are; a key without a row here has no limit of its own. The row goes with its key.

CREATE TABLE key_rate_limits (
  key_hash            TEXT   NOT NULL PRIMARY KEY REFERENCES api_keys (hash) ON DELETE CASCADE,
  requests_per_minute BIGINT CHECK (requests_per_minute >= 1), -- NULL: the config's default
  tokens_per_minute   BIGINT CHECK (tokens_per_minute >= 1),   -- NULL: the config's default
  updated_at          BIGINT NOT NULL
);
