package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.config.PostgresUrl;
import dev.switchboard.config.StorageConfig;
import dev.switchboard.store.postgres.PostgresGenerationRepository;
import dev.switchboard.store.postgres.PostgresKeyRepository;
import dev.switchboard.store.postgres.PostgresPool;
import dev.switchboard.store.sqlite.SqliteGenerationRepository;
import dev.switchboard.store.sqlite.SqliteKeyRepository;
import dev.switchboard.store.sqlite.SqlitePool;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * An open database: a connection pool with the schema migrated, and the repositories over it.
 *
 * <p>{@link #open} picks the back-end from {@link StorageConfig#url()}: SQLite for {@code
 * sqlite:PATH} ({@code store.sqlite}, migrations in {@code db/migration/sqlite}), PostgreSQL for
 * {@code postgresql://…} or {@code postgres://…} ({@code store.postgres}, migrations in {@code
 * db/migration/postgresql}). Both implement the same repository interfaces; nothing above the store
 * sees which one it got.
 *
 * <p>Several processes may open the same database at once (the server and {@code switchboard keys
 * create}). For SQLite, see {@link SqlitePool} for the pragmas and the migration lock that make
 * that safe; on PostgreSQL, Flyway and the partition maintenance take advisory locks.
 *
 * <p>Thread-safe. Close it last, after the {@link GenerationWriter} that writes through it.
 */
public final class Database implements AutoCloseable {
  /** The account keys belong to unless created in another; created by migration V1. */
  public static final String DEFAULT_ACCOUNT_ID = "default";

  static final String SQLITE_MIGRATIONS = "classpath:db/migration/sqlite";
  static final String POSTGRES_MIGRATIONS = "classpath:db/migration/postgresql";

  private final HikariDataSource pool;
  private final KeyRepository keys;
  private final GenerationRepository generations;
  private final LedgerRepository ledger;
  private final Consumer<Instant> partitionMaintenance;
  private final PresetRepository presets;
  private final @Nullable Path journalDirectory;

  private Database(
      HikariDataSource pool,
      KeyRepository keys,
      GenerationRepository generations,
      LedgerRepository ledger,
      Consumer<Instant> partitionMaintenance,
      PresetRepository presets,
      @Nullable Path journalDirectory) {
    this.pool = pool;
    this.journalDirectory = journalDirectory;
    this.keys = keys;
    this.generations = generations;
    this.ledger = ledger;
    this.partitionMaintenance = partitionMaintenance;
    this.presets = presets;
  }

  /**
   * Opens the pool, creating the database (and, for SQLite, its parent directories) if needed, and
   * migrates the schema to the latest version (Flyway runs only when the schema is behind: {@link
   * Migrations}). On PostgreSQL it also creates the partitions of {@code generations} ahead ({@link
   * #ensurePartitions}). Credentials missing from a PostgreSQL url come from the {@code PGUSER} and
   * {@code PGPASSWORD} environment variables.
   *
   * @throws StoreException if the database cannot be opened or migrated
   * @throws IllegalArgumentException if the URL names no supported back-end or is malformed (the
   *     message never repeats a password)
   */
  public static Database open(StorageConfig config) {
    return open(config, System.getenv());
  }

  /** {@link #open(StorageConfig)} with {@code env} in place of the process environment. */
  public static Database open(StorageConfig config, Map<String, String> env) {
    requireNonNull(config, "config");
    if (config.isSqlite()) {
      return openSqlite(config);
    }
    if (config.isPostgres()) {
      return openPostgres(PostgresUrl.parse(config.url(), env));
    }
    throw new IllegalArgumentException(
        "storage url must start with 'sqlite:' or 'postgresql://' (e.g. "
            + StorageConfig.DEFAULT_URL
            + ")");
  }

  private static Database openSqlite(StorageConfig config) {
    Path file = Path.of(config.sqlitePath()).toAbsolutePath().normalize();
    // Opening and migrating under one cross-process lock: a fresh file is created, switched to
    // WAL and migrated by exactly one process while any other waits.
    return SqlitePool.withMigrationLock(
        file,
        () -> {
          HikariDataSource pool = SqlitePool.open(file);
          try {
            Migrations.apply(pool, SQLITE_MIGRATIONS);
            // One table, no partitions: retention on SQLite is a DELETE.
            return new Database(
                pool,
                new SqliteKeyRepository(pool),
                new SqliteGenerationRepository(pool),
                new JdbcLedgerRepository(pool),
                now -> {},
                new JdbcPresetRepository(pool),
                journalDirectory(file));
          } catch (RuntimeException e) {
            pool.close();
            throw e;
          }
        });
  }

  private static Database openPostgres(PostgresUrl url) {
    HikariDataSource pool = PostgresPool.open(url);
    try {
      // Flyway serialises concurrent migrations itself on PostgreSQL (an advisory lock).
      Migrations.apply(pool, POSTGRES_MIGRATIONS);
      PostgresGenerationRepository generations = new PostgresGenerationRepository(pool);
      generations.ensurePartitions(Instant.now());
      return new Database(
          pool,
          new PostgresKeyRepository(pool),
          generations,
          new JdbcLedgerRepository(pool),
          generations::ensurePartitions,
          new JdbcPresetRepository(pool),
          null);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * Where a node on this database keeps its attempt journal in files ({@link JournalFiles}): for a
   * SQLite file {@code F}, the directory {@code F-attempts} beside it. Null on PostgreSQL, whose
   * nodes journal in its {@code in_flight} table, where the others can recover a dead node's rows.
   */
  public @Nullable Path journalDirectory() {
    return journalDirectory;
  }

  /** The attempt journal directory of the SQLite database {@code file}. */
  static Path journalDirectory(Path file) {
    return file.resolveSibling(file.getFileName() + "-attempts");
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

  /** Presets created through the API. */
  public PresetRepository presets() {
    return presets;
  }

  /** Accounts and the credit ledger. */
  public LedgerRepository ledger() {
    return ledger;
  }

  /**
   * Creates what the store needs ahead of time at {@code now}: on PostgreSQL the monthly partitions
   * of {@code generations} for the current month and the next few; nothing on SQLite. {@link
   * #open} runs it once; a long-running process runs it daily so a new month never starts without
   * its partition. Idempotent, and safe to run from several processes at once.
   *
   * @throws StoreException if the database refuses
   */
  public void ensurePartitions(Instant now) {
    partitionMaintenance.accept(requireNonNull(now, "now"));
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
    generations.close();
    pool.close();
  }
}
