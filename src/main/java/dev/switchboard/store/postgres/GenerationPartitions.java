package dev.switchboard.store.postgres;

import static java.util.Objects.requireNonNull;

import dev.switchboard.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The monthly partitions of {@code generations}: one table per UTC month, {@code
 * generations_yYYYYmMM}, holding {@code created_at} from the first millisecond of the month up to
 * (not including) the first of the next.
 *
 * <p>Why ahead of time: {@code CREATE TABLE … PARTITION OF} locks the parent table exclusively for
 * a moment, stalling every insert and read of generations. {@link #ensureAhead} therefore creates
 * the current month and the next {@value #MONTHS_AHEAD} when the database is opened and again
 * daily, so the hot path finds its partition waiting. A record whose month has no partition
 * (written with an old timestamp, or by a process that skipped the daily run for months) gets one
 * created on demand by {@link #ensureFor} rather than failing.
 *
 * <p>Why the advisory lock: several gateway processes may start at once, and two concurrent {@code
 * CREATE TABLE IF NOT EXISTS} of the same table can still fail on the catalog's unique index. Each
 * creation is one transaction: lock, look, create.
 *
 * <p>Retention is dropping a past month's table ({@code DROP TABLE generations_y2025m01}); this
 * class never drops anything, and it remembers what it created, so drop only months that are
 * over.
 *
 * <p>Thread-safe.
 */
final class GenerationPartitions {
  /** Months created beyond the current one; the daily run keeps this many ready. */
  static final int MONTHS_AHEAD = 3;

  /** The advisory lock every Switchboard process takes to create partitions ("SWB0", then 1). */
  private static final long LOCK_KEY = 0x5357_4230_0000_0001L;

  private final DataSource dataSource;
  private final Set<YearMonth> present = ConcurrentHashMap.newKeySet();

  GenerationPartitions(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
  }

  /** The partition table's name for {@code month}. */
  static String name(YearMonth month) {
    return "generations_y%04dm%02d".formatted(month.getYear(), month.getMonthValue());
  }

  /** Creates the partitions of {@code now}'s UTC month and the {@value #MONTHS_AHEAD} after it. */
  void ensureAhead(Instant now) {
    YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
    for (int i = 0; i <= MONTHS_AHEAD; i++) {
      ensure(current.plusMonths(i));
    }
  }

  /** Creates the partition that {@code createdAt} falls in, if this process has not seen it yet. */
  void ensureFor(Instant createdAt) {
    YearMonth month = YearMonth.from(createdAt.atOffset(ZoneOffset.UTC));
    if (!present.contains(month)) {
      ensure(month);
    }
  }

  private void ensure(YearMonth month) {
    String table = name(month);
    long from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    long to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    Jdbc.transaction(
        dataSource,
        "creating partition " + table,
        connection -> {
          try (PreparedStatement lock =
              connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            lock.execute();
          }
          if (exists(connection, table)) {
            return false;
          }
          try (Statement create = connection.createStatement()) {
            // DDL takes no bind parameters; the name and bounds are computed here, not input.
            create.execute(
                "CREATE TABLE "
                    + table
                    + " PARTITION OF generations FOR VALUES FROM ("
                    + from
                    + ") TO ("
                    + to
                    + ")");
          }
          return true;
        });
    present.add(month);
  }

  private static boolean exists(Connection connection, String table) throws SQLException {
    // A query on pg_class, not to_regclass: name lookups go through the backend's catalog cache,
    // which may still say "absent" for a table another process committed while this one waited
    // for the lock. A query reads a fresh snapshot. current_schema() is where CREATE puts it.
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM pg_class WHERE relname = ?"
                + " AND relnamespace = current_schema()::regnamespace)")) {
      statement.setString(1, table);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getBoolean(1);
      }
    }
  }
}
