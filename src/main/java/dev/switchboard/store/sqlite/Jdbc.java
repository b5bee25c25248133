package dev.switchboard.store.sqlite;

import dev.switchboard.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The little JDBC plumbing the repositories share: transactions, nullable columns, and instants as
 * epoch milliseconds (the schema's timestamp representation). {@link SQLException} stops here.
 */
final class Jdbc {
  private Jdbc() {}

  /** Work against one connection that may throw {@link SQLException}. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} on a pooled connection in autocommit mode (one statement, no transaction).
   */
  static <T> T query(DataSource dataSource, String operation, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new StoreException(operation + " failed: " + e.getMessage(), e);
    }
  }

  /** Runs {@code work} in one transaction ({@code BEGIN IMMEDIATE}), committing if it returns. */
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
      throw new StoreException(operation + " failed: " + e.getMessage(), e);
    }
  }

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  static void setNullableString(PreparedStatement statement, int index, @Nullable String value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  static void setNullableLong(PreparedStatement statement, int index, @Nullable Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  static void setNullableInstant(PreparedStatement statement, int index, @Nullable Instant value)
      throws SQLException {
    setNullableLong(statement, index, value == null ? null : value.toEpochMilli());
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
}
