package dev.switchboard.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC plumbing the repositories share on both back-ends: connections, transactions, nullable
 * columns, and instants as epoch milliseconds (the schema's timestamp representation). {@link
 * SQLException} stops here, as a {@link StoreException}.
 *
 * <p>Every repository uses it: those whose SQL is the same on SQLite and PostgreSQL live in this
 * package ({@link JdbcLedgerRepository}, {@link JdbcPresetRepository}, {@link GenerationReads},
 * {@link NodeJournal}, {@link ProviderCredentials}), the dialect-specific ones in {@code
 * store.sqlite} and {@code store.postgres}. A SQLite transaction begins {@code IMMEDIATE} through
 * its pool's transaction mode.
 */
public final class Jdbc {
  private Jdbc() {}

  /** Work against one connection that may throw {@link SQLException}. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} on a pooled connection in autocommit mode (one statement, no transaction).
   */
  public static <T> T query(DataSource dataSource, String operation, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw failure(operation, e);
    }
  }

  /**
   * Runs {@code work} in one transaction, committing if it returns and rolling back if not (on
   * SQLite it begins {@code IMMEDIATE}: the pool's transaction mode).
   */
  public static <T> T transaction(DataSource dataSource, String operation, SqlWork<T> work) {
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
   * PostgreSQL's driver message carries no bound values, but its server "Detail:" line may (the key
   * of a duplicate row), so only the first line is kept.
   */
  static StoreException failure(String operation, SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return new StoreException(
        operation + " failed: " + (newline < 0 ? message : message.substring(0, newline)), e);
  }

  static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  public static void setNullableString(PreparedStatement statement, int index, @Nullable String value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  public static void setNullableLong(PreparedStatement statement, int index, @Nullable Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  public static void setNullableInstant(PreparedStatement statement, int index, @Nullable Instant value)
      throws SQLException {
    setNullableLong(statement, index, value == null ? null : value.toEpochMilli());
  }

  public static @Nullable Long nullableLong(ResultSet rows, String column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : value;
  }

  public static @Nullable Integer nullableInt(ResultSet rows, String column) throws SQLException {
    int value = rows.getInt(column);
    return rows.wasNull() ? null : value;
  }

  public static Instant instant(ResultSet rows, String column) throws SQLException {
    return Instant.ofEpochMilli(rows.getLong(column));
  }

  public static @Nullable Instant nullableInstant(ResultSet rows, String column) throws SQLException {
    Long millis = nullableLong(rows, column);
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }

  public static @Nullable Long millis(@Nullable Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }
}
