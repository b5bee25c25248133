-- Switchboard schema V2, PostgreSQL dialect: db/migration/sqlite/V2 column for column (money:
-- running usage counters per key, a credit ledger per account with running totals, and a daily
-- usage rollup for /api/v1/activity). Porting rules as in V1: BIGINT milliseconds and nano-USD,
-- TEXT with CHECK for enumerations, objects in the connection's current schema.
--
-- Every table here except ledger is a cache of what generations and ledger hold: the writer keeps
-- them in step in the same transaction as the generation insert. Neither ledger nor usage_daily is
-- partitioned: usage_daily has one row per day, key, model and provider, and the ledger one per
-- priced generation, which retention of generations does not remove (the money stays accounted).

-- Running totals of the ledger, so a balance is one row read. credits_nanos is the sum of grants and
-- adjustments, usage_nanos the sum of charges less refunds; the balance is their difference.
ALTER TABLE accounts ADD COLUMN credits_nanos BIGINT NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN usage_nanos BIGINT NOT NULL DEFAULT 0;

-- What each key has spent: in total and in the current UTC day, ISO week (from Monday) and calendar
-- month. A window's counter belongs to the window starting at *_start; a reader whose clock is in a
-- later window reads 0. No foreign key: a generation settled just after its key was deleted must
-- not fail, and its orphan row is harmless.
CREATE TABLE key_usage (
  key_hash      TEXT   NOT NULL PRIMARY KEY,
  total_nanos   BIGINT NOT NULL CHECK (total_nanos >= 0),
  day_start     BIGINT NOT NULL,
  day_nanos     BIGINT NOT NULL CHECK (day_nanos >= 0),
  week_start    BIGINT NOT NULL,
  week_nanos    BIGINT NOT NULL CHECK (week_nanos >= 0),
  month_start   BIGINT NOT NULL,
  month_nanos   BIGINT NOT NULL CHECK (month_nanos >= 0)
);

-- Append-only. amount_nanos is the signed effect on the account's balance: grants are positive,
-- charges negative, refunds positive, adjustments either. UNIQUE (generation_id, kind) makes a
-- second charge (or refund) for the same generation fail; entries without a generation never
-- collide (NULLs are distinct). No foreign keys, like generations: entries outlive keys.
CREATE TABLE ledger (
  id            TEXT   NOT NULL PRIMARY KEY, -- led-... (grants, adjustments) or chg-<generation id>
  account_id    TEXT   NOT NULL,
  kind          TEXT   NOT NULL CHECK (kind IN ('grant', 'charge', 'refund', 'adjustment')),
  amount_nanos  BIGINT NOT NULL,
  generation_id TEXT,
  key_hash      TEXT,
  note          TEXT,
  created_at    BIGINT NOT NULL,
  CHECK (kind <> 'charge' OR (generation_id IS NOT NULL AND amount_nanos <= 0)),
  CHECK (kind <> 'grant' OR amount_nanos > 0),
  UNIQUE (generation_id, kind)
);

CREATE INDEX ledger_account_created_idx ON ledger (account_id, created_at);

-- Generations per UTC day, key, model and provider: what /api/v1/activity reports. provider is ''
-- when no attempt was made (a primary key column cannot be NULL).
CREATE TABLE usage_daily (
  day               BIGINT NOT NULL, -- UTC midnight, epoch milliseconds
  key_hash          TEXT   NOT NULL,
  account_id        TEXT   NOT NULL,
  model             TEXT   NOT NULL,
  provider          TEXT   NOT NULL,
  requests          BIGINT NOT NULL,
  prompt_tokens     BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  reasoning_tokens  BIGINT NOT NULL,
  cost_nanos        BIGINT NOT NULL,
  PRIMARY KEY (day, key_hash, model, provider)
);

CREATE INDEX usage_daily_key_day_idx ON usage_daily (key_hash, day);

-- Backfill from the generations a V1 database already holds, so nothing spent before the upgrade is
-- forgotten. The windows are those of the moment of migration, in UTC whatever the session's
-- TimeZone (date_trunc on a timestamp without time zone; 'week' starts on Monday, as ISO).
INSERT INTO ledger (id, account_id, kind, amount_nanos, generation_id, key_hash, note, created_at)
SELECT 'chg-' || id, account_id, 'charge', -cost_nanos, id, key_hash, NULL, created_at
FROM generations WHERE cost_nanos > 0;

UPDATE accounts SET usage_nanos =
  (SELECT COALESCE(SUM(cost_nanos), 0) FROM generations WHERE generations.account_id = accounts.id);

INSERT INTO key_usage (key_hash, total_nanos, day_start, day_nanos, week_start, week_nanos,
                       month_start, month_nanos)
SELECT g.key_hash,
       SUM(g.cost_nanos),
       w.day_start, SUM(CASE WHEN g.created_at >= w.day_start THEN g.cost_nanos ELSE 0 END),
       w.week_start, SUM(CASE WHEN g.created_at >= w.week_start THEN g.cost_nanos ELSE 0 END),
       w.month_start, SUM(CASE WHEN g.created_at >= w.month_start THEN g.cost_nanos ELSE 0 END)
FROM generations g,
     (SELECT (extract(epoch FROM date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
                * 1000)::BIGINT AS day_start,
             (extract(epoch FROM date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
                * 1000)::BIGINT AS week_start,
             (extract(epoch FROM date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
                * 1000)::BIGINT AS month_start) AS w
WHERE g.cost_nanos > 0
GROUP BY g.key_hash, w.day_start, w.week_start, w.month_start;

INSERT INTO usage_daily (day, key_hash, account_id, model, provider, requests, prompt_tokens,
                         completion_tokens, reasoning_tokens, cost_nanos)
SELECT (created_at / 86400000) * 86400000, key_hash, MIN(account_id), model, COALESCE(provider, ''),
       COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(COALESCE(reasoning_tokens, 0)),
       SUM(cost_nanos)
FROM generations
GROUP BY (created_at / 86400000) * 86400000, key_hash, model, COALESCE(provider, '');
