-- Switchboard schema V5, SQLite dialect: a key's own rate limit (the key API's "rate_limit").
--
-- Its own table rather than columns on api_keys, so the key rows (and every repository that maps
-- them) stay as they are; a key without a row here has no limit of its own and the config's
-- limits.key applies. The row goes with its key.

CREATE TABLE key_rate_limits (
  key_hash            TEXT    NOT NULL PRIMARY KEY REFERENCES api_keys (hash) ON DELETE CASCADE,
  requests_per_minute INTEGER CHECK (requests_per_minute >= 1), -- NULL: the config's default
  tokens_per_minute   INTEGER CHECK (tokens_per_minute >= 1),   -- NULL: the config's default
  updated_at          INTEGER NOT NULL
) STRICT;
