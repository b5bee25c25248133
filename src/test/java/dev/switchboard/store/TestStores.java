package dev.switchboard.store;

import dev.switchboard.config.StorageConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * Shared fixtures for store tests: databases on temp files and sample records. PostgreSQL stores
 * come from {@link TestPostgres}.
 */
public final class TestStores {
  public static final String KEY_HASH = "a".repeat(64);
  public static final String OTHER_KEY_HASH = "b".repeat(64);

  private TestStores() {}

  public static StorageConfig sqlite(Path file) {
    return new StorageConfig("sqlite:" + file);
  }

  public static Database open(Path file) {
    return Database.open(sqlite(file));
  }

  /** A {@link TestStore} on {@code file}; the caller's {@code @TempDir} removes it. */
  public static TestStore sqliteStore(Path file) {
    StorageConfig config = sqlite(file);
    return new TestStore() {
      @Override
      public StorageConfig config() {
        return config;
      }

      @Override
      public void close() {}
    };
  }

  public static GenerationRecord record(
      String id, String keyHash, long costNanos, Instant createdAt) {
    return GenerationRecord.builder(
            id, keyHash, Database.DEFAULT_ACCOUNT_ID, "openai/gpt-4o", createdAt)
        .provider("openai", "gpt-4o-2024-08-06")
        .costNanos(costNanos)
        .latency(120, 40L)
        .build();
  }

  /**
   * Journaled requests left unsettled in {@code database}, by every node: rows of the {@code
   * in_flight} table and requests in journal files whose generation is not stored, but those
   * journaled as settled (answered before their commit), which recovery stores as they settled.
   */
  public static long unsettled(Database database) {
    NodeJournal books = books(database);
    return books.pending() - books.settledNotStored();
  }

  /** Requests in journal files that settled but whose generation is not stored. */
  public static long settledNotStored(Database database) {
    return books(database).settledNotStored();
  }

  private static NodeJournal books(Database database) {
    return new NodeJournal(database.dataSource(), database.generations(), database.journalDirectory(),
        "books", java.time.Duration.ofSeconds(1), java.time.Instant.now());
  }

  /** Runs a single-value query such as {@code SELECT count(*) …}. */
  public static long scalar(Database database, String sql) {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String text(Database database, String sql) {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
