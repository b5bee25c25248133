-- Switchboard schema V4, PostgreSQL dialect: db/migration/sqlite/V4 column for column.
--
-- The definition is TEXT rather than JSONB: it is read back byte for byte as the API accepted it
-- (JSONB would reorder its keys), and the gateway never queries inside it.

CREATE TABLE presets (
  slug       TEXT   NOT NULL PRIMARY KEY CHECK (length(slug) BETWEEN 1 AND 64),
  definition TEXT   NOT NULL, -- JSON object
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
