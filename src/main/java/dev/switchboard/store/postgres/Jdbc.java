package dev.switchboard.store.postgres;

import dev.switchboard.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC plumbing the PostgreSQL repositories share: connections, transactions and nullable
 * columns. {@link SQLException} stops here. The twin of {@code store.sqlite.Jdbc}, kept apart so
 * each back-end can change its own without touching the other's.
 */
final class Jdbc {
  private Jdbc() {}

  /** Work against one connection that may throw {@link SQLException}. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs {@code work} on a pooled connection in autocommit mode: each statement commits alone. */
  static <T> T query(DataSource dataSource, String operation, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw failure(operation, e);
    }
  }

  /** Runs {@code work} in one transaction, committing if it returns and rolling back if not. */
  static <T> T transaction(DataSource dataSource, String operation, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection, e);
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure(operation, e);
    }
  }

  /**
   * The driver's message carries no bound values; its server "Detail:" line may (the key of a
   * duplicate row), which is why only {@link SQLException#getMessage()}'s first line is kept.
   */
  private static StoreException failure(String operation, SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return new StoreException(
        operation + " failed: " + (newline < 0 ? message : message.substring(0, newline)), e);
  }

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  static @Nullable Long nullableLong(ResultSet rows, String column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : value;
  }

  static @Nullable Integer nullableInt(ResultSet rows, String column) throws SQLException {
    int value = rows.getInt(column);
    return rows.wasNull() ? null : value;
  }

  static Instant instant(ResultSet rows, String column) throws SQLException {
    return Instant.ofEpochMilli(rows.getLong(column));
  }

  static @Nullable Instant nullableInstant(ResultSet rows, String column) throws SQLException {
    Long millis = nullableLong(rows, column);
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }

  static @Nullable Long millis(@Nullable Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }
}
