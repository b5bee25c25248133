-- Switchboard schema V3, SQLite dialect: the attempt journal that makes a crash lose no charge,
-- the node leases that tell whose journal rows are orphaned, and BYOK provider credentials.
-- db/migration/postgresql/V3 mirrors it column for column (porting rules as in V1).

-- A generation settled by recovery (charged at its reserved estimate because the node that ran it
-- stopped before settling it), and one served with the account's own provider key (BYOK).
ALTER TABLE generations ADD COLUMN recovered INTEGER NOT NULL DEFAULT 0 CHECK (recovered IN (0, 1));
ALTER TABLE generations ADD COLUMN byok INTEGER NOT NULL DEFAULT 0 CHECK (byok IN (0, 1));

-- One row per running gateway process. A node renews expires_at while it runs; a row whose
-- expires_at has passed (or that is gone) belongs to a node that stopped, and its in_flight rows
-- are recovered by whichever node sees them first. name is the node's stable identity
-- (host:port): a restarted node retires the rows of its earlier lives at once.
CREATE TABLE nodes (
  id           TEXT    NOT NULL PRIMARY KEY, -- node-<random>, one per process start
  name         TEXT    NOT NULL,
  started_at   INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX nodes_name_idx ON nodes (name);

-- The attempt journal: a row is committed before a request's first upstream byte is sent, and
-- deleted in the transaction that stores its generation and charge. A row that outlives its node
-- is settled at its reserved estimate (generations.recovered = 1). Whoever deletes the row settles
-- the generation; the other (a late settlement, a second recovery) finds nothing to delete and
-- writes nothing. No foreign keys: a row must survive whatever happens to its key.
CREATE TABLE in_flight (
  generation_id     TEXT    NOT NULL PRIMARY KEY,
  node_id           TEXT    NOT NULL,
  key_hash          TEXT    NOT NULL,
  account_id        TEXT    NOT NULL,
  model             TEXT    NOT NULL,
  provider          TEXT,
  provider_model    TEXT,
  streamed          INTEGER NOT NULL CHECK (streamed IN (0, 1)),
  prompt_tokens     INTEGER NOT NULL CHECK (prompt_tokens >= 0),
  completion_tokens INTEGER NOT NULL CHECK (completion_tokens >= 0),
  reserved_nanos    INTEGER NOT NULL CHECK (reserved_nanos >= 0),
  started_at        INTEGER NOT NULL
) STRICT;

CREATE INDEX in_flight_node_idx ON in_flight (node_id);

-- BYOK: an account's own key for a provider, AES-256-GCM encrypted under the master key key_id
-- names (a fingerprint, so a rotated master key can tell which rows are still under the old one).
-- The AAD binds a ciphertext to its (account_id, provider), so a row copied elsewhere fails to
-- decrypt. label is the key's last four characters, for display.
CREATE TABLE provider_credentials (
  account_id TEXT    NOT NULL,
  provider   TEXT    NOT NULL,
  key_id     TEXT    NOT NULL,
  nonce      BLOB    NOT NULL,
  ciphertext BLOB    NOT NULL,
  label      TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, provider)
) STRICT;
