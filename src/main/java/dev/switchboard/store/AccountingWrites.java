package dev.switchboard.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accounting a batch of generation records carries, written on the batch's connection inside
 * its transaction: a ledger charge per priced record, the account usage totals, the keys' running
 * usage counters and the daily rollup.
 *
 * <p>Counters are summed per batch in memory first, so a commit of a thousand records for one key
 * updates that key's row once, not a thousand times. The same SQL runs on SQLite and PostgreSQL
 * ({@code INSERT … AS alias … ON CONFLICT DO UPDATE}, CASE instead of {@code max}), so both
 * back-ends' {@code insertAll} call this one class.
 */
public final class AccountingWrites {
  private static final String CHARGE =
      "INSERT INTO ledger (id, account_id, kind, amount_nanos, generation_id, key_hash, note,"
          + " created_at) VALUES (?, ?, 'charge', ?, ?, ?, NULL, ?)";

  private static final String ACCOUNT_USAGE =
      "UPDATE accounts SET usage_nanos = usage_nanos + ? WHERE id = ?";

  // A window counter restarts when a record from a later window arrives, and ignores a record
  // from an earlier one (settled late, near midnight): that window is over and no longer read.
  private static final String KEY_USAGE =
      "INSERT INTO key_usage AS u (key_hash, total_nanos, day_start, day_nanos, week_start,"
          + " week_nanos, month_start, month_nanos) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (key_hash) DO UPDATE SET"
          + " total_nanos = u.total_nanos + excluded.total_nanos,"
          + window("day")
          + ","
          + window("week")
          + ","
          + window("month");

  private static final String DAILY =
      "INSERT INTO usage_daily AS d (day, key_hash, account_id, model, provider, requests,"
          + " prompt_tokens, completion_tokens, reasoning_tokens, cost_nanos)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (day, key_hash, model, provider) DO UPDATE SET"
          + " requests = d.requests + excluded.requests,"
          + " prompt_tokens = d.prompt_tokens + excluded.prompt_tokens,"
          + " completion_tokens = d.completion_tokens + excluded.completion_tokens,"
          + " reasoning_tokens = d.reasoning_tokens + excluded.reasoning_tokens,"
          + " cost_nanos = d.cost_nanos + excluded.cost_nanos";

  private AccountingWrites() {}

  private static String window(String name) {
    return (" %1$s_nanos = CASE WHEN excluded.%1$s_start = u.%1$s_start"
            + " THEN u.%1$s_nanos + excluded.%1$s_nanos"
            + " WHEN excluded.%1$s_start > u.%1$s_start THEN excluded.%1$s_nanos"
            + " ELSE u.%1$s_nanos END,"
            + " %1$s_start = CASE WHEN excluded.%1$s_start > u.%1$s_start"
            + " THEN excluded.%1$s_start ELSE u.%1$s_start END")
        .formatted(name);
  }

  /** The ledger id of a generation's charge: derived, so it too can exist only once. */
  public static String chargeId(String generationId) {
    return "chg-" + generationId;
  }

  private record KeyWindows(String keyHash, UsageWindows windows) {}

  private record DailyGroup(long day, String keyHash, String model, String provider) {}

  private static final class DailySums {
    final String accountId;
    long requests;
    long promptTokens;
    long completionTokens;
    long reasoningTokens;
    long costNanos;

    DailySums(String accountId) {
      this.accountId = accountId;
    }
  }

  /**
   * Writes the accounting of {@code records} through {@code statements}, whose connection must be
   * inside the transaction that inserts them.
   */
  public static void apply(WriteConnection.Statements statements, List<GenerationRecord> records)
      throws SQLException {
    Map<String, Long> accountUsage = new LinkedHashMap<>();
    Map<KeyWindows, Long> keyUsage = new LinkedHashMap<>();
    Map<DailyGroup, DailySums> daily = new LinkedHashMap<>();
    PreparedStatement charge = statements.prepare(CHARGE);
    boolean anyCharge = false;
    for (GenerationRecord record : records) {
      UsageWindows windows = UsageWindows.of(record.createdAt());
      long cost = record.costNanos();
      if (cost > 0) {
        charge.setString(1, chargeId(record.id()));
        charge.setString(2, record.accountId());
        charge.setLong(3, -cost);
        charge.setString(4, record.id());
        charge.setString(5, record.keyHash());
        charge.setLong(6, record.createdAt().toEpochMilli());
        charge.addBatch();
        anyCharge = true;
        accountUsage.merge(record.accountId(), cost, Math::addExact);
        keyUsage.merge(new KeyWindows(record.keyHash(), windows), cost, Math::addExact);
      }
      String provider = record.provider() == null ? "" : record.provider();
      DailySums sums =
          daily.computeIfAbsent(
              new DailyGroup(windows.dayStart(), record.keyHash(), record.model(), provider),
              group -> new DailySums(record.accountId()));
      sums.requests++;
      sums.promptTokens += record.usage().promptTokens();
      sums.completionTokens += record.usage().completionTokens();
      Long reasoning = record.usage().reasoningTokens();
      sums.reasoningTokens += reasoning == null ? 0 : reasoning;
      sums.costNanos = Math.addExact(sums.costNanos, cost);
    }
    if (anyCharge) {
      charge.executeBatch();
    }
    if (!accountUsage.isEmpty()) {
      PreparedStatement statement = statements.prepare(ACCOUNT_USAGE);
      for (var entry : accountUsage.entrySet()) {
        statement.setLong(1, entry.getValue());
        statement.setString(2, entry.getKey());
        statement.addBatch();
      }
      statement.executeBatch();
    }
    if (!keyUsage.isEmpty()) {
      PreparedStatement statement = statements.prepare(KEY_USAGE);
      for (var entry : keyUsage.entrySet()) {
        UsageWindows w = entry.getKey().windows();
        long cost = entry.getValue();
        statement.setString(1, entry.getKey().keyHash());
        statement.setLong(2, cost);
        statement.setLong(3, w.dayStart());
        statement.setLong(4, cost);
        statement.setLong(5, w.weekStart());
        statement.setLong(6, cost);
        statement.setLong(7, w.monthStart());
        statement.setLong(8, cost);
        statement.addBatch();
      }
      statement.executeBatch();
    }
    PreparedStatement statement = statements.prepare(DAILY);
    for (var entry : daily.entrySet()) {
      DailyGroup group = entry.getKey();
      DailySums sums = entry.getValue();
      statement.setLong(1, group.day());
      statement.setString(2, group.keyHash());
      statement.setString(3, sums.accountId);
      statement.setString(4, group.model());
      statement.setString(5, group.provider());
      statement.setLong(6, sums.requests);
      statement.setLong(7, sums.promptTokens);
      statement.setLong(8, sums.completionTokens);
      statement.setLong(9, sums.reasoningTokens);
      statement.setLong(10, sums.costNanos);
      statement.addBatch();
    }
    statement.executeBatch();
  }
}
