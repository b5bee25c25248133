package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * One connection taken from the pool and kept, with its prepared statements, for the writes that
 * run for every request: the generation writer's group commits.
 *
 * <p>Why: SQLite compiles a statement when it is prepared, and a group commit prepares six or
 * seven (the upserts with their {@code CASE} windows take 20-30 µs each). Under load a commit
 * carries only a few requests, so preparing cost more than writing; a pooled connection closes
 * its statements when it goes back to the pool, so the connection stays out of it instead.
 *
 * <p>On SQLite ({@link #sqlite}) the transaction is opened and ended by prepared {@code BEGIN
 * IMMEDIATE}, {@code COMMIT} and {@code ROLLBACK} statements on a connection left in auto-commit:
 * the driver's own {@code setAutoCommit(false)} / {@code commit()} / {@code setAutoCommit(true)}
 * compiles and runs four statements (its {@code commit()} begins the next transaction at once, which
 * the return to auto-commit then commits empty), taking and releasing the write lock twice. Group
 * commits under load carry only a few requests, so that was a measurable part of each one.
 *
 * <p>A connection that fails is given back (the pool checks it) and a new one taken for the next
 * transaction, so a restarted PostgreSQL costs one failed commit. Thread-safe: transactions run
 * one at a time (the writer's thread, and now and then a node's recovery of another's journal).
 */
public final class WriteConnection implements AutoCloseable {
  /** The work of one transaction, preparing through {@link Statements}. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection, Statements statements) throws SQLException;
  }

  /**
   * Prepared statements that live as long as the connection: never close one, and bind every
   * parameter before each execution.
   */
  @FunctionalInterface
  public interface Statements {
    PreparedStatement prepare(String sql) throws SQLException;
  }

  private static final String BEGIN = "BEGIN IMMEDIATE";
  private static final String COMMIT = "COMMIT";
  private static final String ROLLBACK = "ROLLBACK";

  private final DataSource dataSource;
  private final boolean explicitTransactions;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, PreparedStatement> prepared = new HashMap<>();
  private @Nullable Connection connection;
  private boolean closed;

  private WriteConnection(DataSource dataSource, boolean explicitTransactions) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
    this.explicitTransactions = explicitTransactions;
  }

  /** Transactions through JDBC's auto-commit switch (PostgreSQL). */
  public static WriteConnection jdbc(DataSource dataSource) {
    return new WriteConnection(dataSource, false);
  }

  /** Transactions through prepared {@code BEGIN IMMEDIATE} / {@code COMMIT} (see the class comment). */
  public static WriteConnection sqlite(DataSource dataSource) {
    return new WriteConnection(dataSource, true);
  }

  /**
   * Runs {@code work} in one transaction on the kept connection, committing if it returns and
   * rolling back if not.
   *
   * @throws StoreException when the database refused or could not be reached
   */
  public <T> T transaction(String operation, Work<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new StoreException(operation + " failed: the store is closed");
      }
      Connection open = connection();
      return explicitTransactions ? explicit(open, work) : switched(open, work);
    } catch (SQLException e) {
      throw Jdbc.failure(operation, e);
    } finally {
      lock.unlock();
    }
  }

  private <T> T explicit(Connection open, Work<T> work) throws SQLException {
    prepare(BEGIN).execute();
    try {
      T result = work.run(open, this::prepare);
      prepare(COMMIT).execute();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        prepare(ROLLBACK).execute();
      } catch (SQLException rollback) {
        // Nothing to roll back (the failure was the BEGIN itself), or a broken connection.
        e.addSuppressed(rollback);
        release();
      }
      if (e instanceof SQLException && connection != null) {
        // It may be the connection that broke: the next transaction takes a checked one.
        release();
      }
      throw e;
    }
  }

  private <T> T switched(Connection open, Work<T> work) throws SQLException {
    // Back to auto-commit between transactions: a driver may begin the next transaction as soon
    // as one commits, which must not hold anything while idle.
    open.setAutoCommit(false);
    try {
      T result = work.run(open, this::prepare);
      open.commit();
      open.setAutoCommit(true);
      return result;
    } catch (SQLException | RuntimeException e) {
      Jdbc.rollbackQuietly(open, e);
      if (e instanceof SQLException) {
        // It may be the connection that broke: the next transaction takes a checked one.
        release();
      } else {
        try {
          open.setAutoCommit(true);
        } catch (SQLException reset) {
          // Keep the work's own failure; a connection that cannot even do this is given back.
          e.addSuppressed(reset);
          release();
        }
      }
      throw e;
    }
  }

  private Connection connection() throws SQLException {
    Connection open = connection;
    if (open == null) {
      open = dataSource.getConnection();
      connection = open;
    }
    return open;
  }

  private PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement statement = prepared.get(sql);
    if (statement == null) {
      statement = requireNonNull(connection).prepareStatement(sql);
      prepared.put(sql, statement);
    }
    return statement;
  }

  /** Closes the statements and gives the connection back to the pool. */
  private void release() {
    Connection open = connection;
    connection = null;
    for (PreparedStatement statement : prepared.values()) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // the connection is going back (or away) anyway
      }
    }
    prepared.clear();
    if (open != null) {
      try {
        open.setAutoCommit(true);
      } catch (SQLException ignored) {
        // a broken connection: the pool finds out when it checks it
      }
      try {
        open.close();
      } catch (SQLException ignored) {
        // as above
      }
    }
  }

  /** Gives the connection back to the pool; later transactions fail. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      release();
    } finally {
      lock.unlock();
    }
  }
}
