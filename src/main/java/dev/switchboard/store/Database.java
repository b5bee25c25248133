package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.config.StorageConfig;
import dev.switchboard.store.sqlite.SqliteGenerationRepository;
import dev.switchboard.store.sqlite.SqliteKeyRepository;
import dev.switchboard.store.sqlite.SqliteLedgerRepository;
import dev.switchboard.store.sqlite.SqlitePool;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * An open database: a connection pool with the schema migrated, and the repositories over it.
 *
 * <p>{@link #open} picks the back-end from {@link StorageConfig#url()}. Today that is SQLite
 * ({@code sqlite:PATH}); PostgreSQL will add a branch here and a {@code store.postgres} package
 * implementing the same repository interfaces, with its migrations in {@code
 * db/migration/postgresql}. Nothing above the store sees which one it got.
 *
 * <p>Several processes may open the same SQLite file at once (the server and {@code switchboard
 * keys create}): see {@link SqlitePool} for the pragmas and the migration lock that make that safe.
 *
 * <p>Thread-safe. Close it last, after the {@link GenerationWriter} that writes through it.
 */
public final class Database implements AutoCloseable {
  /** The account keys belong to unless created in another; created by migration V1. */
  public static final String DEFAULT_ACCOUNT_ID = "default";

  static final String SQLITE_MIGRATIONS = "classpath:db/migration/sqlite";

  private final HikariDataSource pool;
  private final KeyRepository keys;
  private final GenerationRepository generations;
  private final LedgerRepository ledger;

  private Database(
      HikariDataSource pool,
      KeyRepository keys,
      GenerationRepository generations,
      LedgerRepository ledger) {
    this.pool = pool;
    this.keys = keys;
    this.generations = generations;
    this.ledger = ledger;
  }

  /**
   * Opens the pool, creating the database (and, for SQLite, its parent directories) if needed, and
   * migrates the schema to the latest version.
   *
   * @throws StoreException if the database cannot be opened or migrated
   * @throws IllegalArgumentException if the URL names no supported back-end
   */
  public static Database open(StorageConfig config) {
    requireNonNull(config, "config");
    if (config.isSqlite()) {
      Path file = Path.of(config.sqlitePath()).toAbsolutePath().normalize();
      // Opening and migrating under one cross-process lock: a fresh file is created, switched to
      // WAL and migrated by exactly one process while any other waits.
      return SqlitePool.withMigrationLock(
          file,
          () -> {
            HikariDataSource pool = SqlitePool.open(file);
            try {
              migrate(pool, SQLITE_MIGRATIONS);
              return new Database(
                  pool,
                  new SqliteKeyRepository(pool),
                  new SqliteGenerationRepository(pool),
                  new SqliteLedgerRepository(pool));
            } catch (RuntimeException e) {
              pool.close();
              throw e;
            }
          });
    }
    if (config.url().startsWith("postgresql:") || config.url().startsWith("postgres:")) {
      // The URL may carry a password, so it is not repeated in the message.
      throw new IllegalArgumentException(
          "PostgreSQL storage is not implemented yet; use sqlite:PATH");
    }
    throw new IllegalArgumentException(
        "storage url must start with 'sqlite:' (e.g. " + StorageConfig.DEFAULT_URL + ")");
  }

  private static void migrate(DataSource dataSource, String location) {
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations(location)
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreException("database migration failed: " + e.getMessage(), e);
    }
  }

  /** The pool, for repositories outside this package (the ledger) and for tests. */
  public DataSource dataSource() {
    return pool;
  }

  public KeyRepository keys() {
    return keys;
  }

  public GenerationRepository generations() {
    return generations;
  }

  /** Accounts and the credit ledger. */
  public LedgerRepository ledger() {
    return ledger;
  }

  /**
   * Whether the database answers a trivial query within a second: what {@code /health/ready}
   * reports, so a load balancer stops sending traffic to a node that could not record it.
   */
  public boolean isReachable() {
    try (var connection = pool.getConnection(); var statement = connection.createStatement()) {
      statement.setQueryTimeout(1);
      return statement.executeQuery("SELECT 1").next();
    } catch (java.sql.SQLException | RuntimeException e) {
      return false;
    }
  }

  /** Closes the pool. Idempotent. */
  @Override
  public void close() {
    pool.close();
  }
}
