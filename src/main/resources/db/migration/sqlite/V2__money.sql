-- Switchboard schema V2, SQLite dialect: money. Running usage counters per key, a credit ledger per
-- account with running totals, and a daily usage rollup for /api/v1/activity.
--
-- Every table here except ledger is a cache of what generations and ledger hold: the writer keeps
-- them in step in the same transaction as the generation insert, so reading them is O(1) (or O(days))
-- instead of summing history. Conventions as in V1 (ids chosen by the application, INTEGER
-- milliseconds, INTEGER nano-USD, STRICT).

-- Running totals of the ledger, so a balance is one row read. credits_nanos is the sum of grants and
-- adjustments, usage_nanos the sum of charges less refunds; the balance is their difference.
ALTER TABLE accounts ADD COLUMN credits_nanos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN usage_nanos INTEGER NOT NULL DEFAULT 0;

-- What each key has spent: in total and in the current UTC day, ISO week (from Monday) and calendar
-- month. A window's counter belongs to the window starting at *_start; a reader whose clock is in a
-- later window reads 0. No foreign key: a generation settled just after its key was deleted must
-- not fail, and its orphan row is harmless.
CREATE TABLE key_usage (
  key_hash      TEXT    NOT NULL PRIMARY KEY,
  total_nanos   INTEGER NOT NULL CHECK (total_nanos >= 0),
  day_start     INTEGER NOT NULL,
  day_nanos     INTEGER NOT NULL CHECK (day_nanos >= 0),
  week_start    INTEGER NOT NULL,
  week_nanos    INTEGER NOT NULL CHECK (week_nanos >= 0),
  month_start   INTEGER NOT NULL,
  month_nanos   INTEGER NOT NULL CHECK (month_nanos >= 0)
) STRICT;

-- Append-only. amount_nanos is the signed effect on the account's balance: grants are positive,
-- charges negative, refunds positive, adjustments either. A charge (or refund) names its
-- generation, and UNIQUE (generation_id, kind) makes a second charge (or a second refund) for the
-- same generation fail; entries without a generation never collide (NULLs are distinct, in SQLite
-- as in PostgreSQL). No foreign keys, like generations: entries outlive keys.
CREATE TABLE ledger (
  id            TEXT    NOT NULL PRIMARY KEY, -- led-... (grants, adjustments) or chg-<generation id>
  account_id    TEXT    NOT NULL,
  kind          TEXT    NOT NULL CHECK (kind IN ('grant', 'charge', 'refund', 'adjustment')),
  amount_nanos  INTEGER NOT NULL,
  generation_id TEXT,
  key_hash      TEXT,
  note          TEXT,
  created_at    INTEGER NOT NULL,
  CHECK (kind <> 'charge' OR (generation_id IS NOT NULL AND amount_nanos <= 0)),
  CHECK (kind <> 'grant' OR amount_nanos > 0),
  UNIQUE (generation_id, kind)
) STRICT;

CREATE INDEX ledger_account_created_idx ON ledger (account_id, created_at);

-- Generations per UTC day, key, model and provider: what /api/v1/activity reports. provider is ''
-- when no attempt was made (a primary key column cannot be NULL in PostgreSQL).
CREATE TABLE usage_daily (
  day               INTEGER NOT NULL, -- UTC midnight, epoch milliseconds
  key_hash          TEXT    NOT NULL,
  account_id        TEXT    NOT NULL,
  model             TEXT    NOT NULL,
  provider          TEXT    NOT NULL,
  requests          INTEGER NOT NULL,
  prompt_tokens     INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  reasoning_tokens  INTEGER NOT NULL,
  cost_nanos        INTEGER NOT NULL,
  PRIMARY KEY (day, key_hash, model, provider)
) STRICT;

CREATE INDEX usage_daily_key_day_idx ON usage_daily (key_hash, day);

-- Backfill from the generations a V1 database already holds, so nothing spent before the upgrade is
-- forgotten. The windows are those of the moment of migration (UTC).
INSERT INTO ledger (id, account_id, kind, amount_nanos, generation_id, key_hash, note, created_at)
SELECT 'chg-' || id, account_id, 'charge', -cost_nanos, id, key_hash, NULL, created_at
FROM generations WHERE cost_nanos > 0;

UPDATE accounts SET usage_nanos =
  (SELECT COALESCE(SUM(cost_nanos), 0) FROM generations WHERE generations.account_id = accounts.id);

INSERT INTO key_usage (key_hash, total_nanos, day_start, day_nanos, week_start, week_nanos,
                       month_start, month_nanos)
SELECT key_hash,
       SUM(cost_nanos),
       w.day_start, SUM(CASE WHEN created_at >= w.day_start THEN cost_nanos ELSE 0 END),
       w.week_start, SUM(CASE WHEN created_at >= w.week_start THEN cost_nanos ELSE 0 END),
       w.month_start, SUM(CASE WHEN created_at >= w.month_start THEN cost_nanos ELSE 0 END)
FROM generations,
     (SELECT CAST(strftime('%s', 'now', 'start of day') AS INTEGER) * 1000 AS day_start,
             -- 'weekday 0' moves to the next Sunday (or stays on one); six days back is Monday.
             CAST(strftime('%s', 'now', 'weekday 0', '-6 days', 'start of day') AS INTEGER) * 1000
               AS week_start,
             CAST(strftime('%s', 'now', 'start of month') AS INTEGER) * 1000 AS month_start) AS w
WHERE cost_nanos > 0
GROUP BY key_hash;

INSERT INTO usage_daily (day, key_hash, account_id, model, provider, requests, prompt_tokens,
                         completion_tokens, reasoning_tokens, cost_nanos)
SELECT (created_at / 86400000) * 86400000, key_hash, MIN(account_id), model, COALESCE(provider, ''),
       COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(COALESCE(reasoning_tokens, 0)),
       SUM(cost_nanos)
FROM generations
GROUP BY (created_at / 86400000) * 86400000, key_hash, model, COALESCE(provider, '');
