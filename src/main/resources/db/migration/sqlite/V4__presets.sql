-- Switchboard schema V4, SQLite dialect: presets created through POST /api/v1/presets.
--
-- A preset is stored as its definition, the JSON object the API accepted (without the slug), so a
-- field added to presets later needs no migration. Presets from the config file are not stored.

CREATE TABLE presets (
  slug       TEXT    NOT NULL PRIMARY KEY CHECK (length(slug) BETWEEN 1 AND 64),
  definition TEXT    NOT NULL, -- JSON object
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
