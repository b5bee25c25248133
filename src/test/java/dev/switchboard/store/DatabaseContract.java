package dev.switchboard.store;

import static dev.switchboard.store.TestStores.scalar;
import static dev.switchboard.store.TestStores.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.config.PostgresUrl;
import dev.switchboard.config.StorageConfig;
import dev.switchboard.store.postgres.PostgresPool;
import dev.switchboard.store.sqlite.SqlitePool;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link Database#open} guarantees on every back-end: migrations applied once, however many
 * processes open a fresh database at the same moment. Subclasses: {@code SqliteDatabaseTest},
 * {@code PostgresDatabaseTest}, which add their back-end's own checks.
 */
public abstract class DatabaseContract {
  /**
   * The migrations each back-end has (both dialects have the same versions): each must be applied
   * exactly once. Counted from the SQLite folder so a new version needs no edit here.
   */
  private static final long MIGRATIONS = migrationVersions().size();
  private static final String LATEST = String.valueOf(migrationVersions().getLast());

  private static java.util.List<Integer> migrationVersions() {
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration/sqlite"))) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V[0-9]+__.*\\.sql"))
          .map(n -> Integer.valueOf(n.substring(1, n.indexOf("__")))).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private TestStore store;

  /** A new, empty database for one test. */
  protected abstract TestStore newStore();

  protected final TestStore store() {
    return store;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @AfterEach
  void removeStore() {
    if (store != null) { // null when newStore() failed; only that failure should be reported
      store.close();
    }
  }

  @Test
  void appliesTheMigrationsAndCreatesTheDefaultAccount() {
    try (Database database = store.open()) {
      assertThat(scalar(database, "SELECT count(*) FROM flyway_schema_history WHERE success"))
          .isEqualTo(MIGRATIONS);
      assertThat(
              text(
                  database,
                  "SELECT version FROM flyway_schema_history WHERE success"
                      + " ORDER BY installed_rank DESC LIMIT 1"))
          .isEqualTo(LATEST);
      assertThat(text(database, "SELECT name FROM accounts WHERE id = 'default'"))
          .isEqualTo("Default");
      assertThat(scalar(database, "SELECT count(*) FROM api_keys")).isZero();
      assertThat(scalar(database, "SELECT count(*) FROM generations")).isZero();
      assertThat(scalar(database, "SELECT count(*) FROM ledger")).isZero();
      assertThat(scalar(database, "SELECT count(*) FROM key_usage")).isZero();
      assertThat(scalar(database, "SELECT count(*) FROM usage_daily")).isZero();
      assertThat(scalar(database, "SELECT count(*) FROM in_flight")).isZero();
      assertThat(scalar(database, "SELECT count(*) FROM nodes")).isZero();
      assertThat(scalar(database, "SELECT count(*) FROM provider_credentials")).isZero();
    }
  }

  @Test
  void reopeningAMigratedDatabaseAppliesNothingTwice() {
    store.open().close();
    try (Database database = store.open()) {
      assertThat(scalar(database, "SELECT count(*) FROM flyway_schema_history"))
          .isEqualTo(MIGRATIONS);
      assertThat(scalar(database, "SELECT count(*) FROM accounts")).isEqualTo(1);
    }
  }

  @Test
  void databasesOpenedAtOnceOnAFreshDatabaseMigrateItOnce() throws Exception {
    int openers = 4;
    CyclicBarrier start = new CyclicBarrier(openers);
    List<Database> opened = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Database>> futures = new ArrayList<>();
      for (int i = 0; i < openers; i++) {
        futures.add(
            threads.submit(
                () -> {
                  start.await();
                  return store.open();
                }));
      }
      for (Future<Database> future : futures) {
        opened.add(future.get());
      }
    }
    try {
      assertThat(scalar(opened.getFirst(), "SELECT count(*) FROM flyway_schema_history"))
          .isEqualTo(MIGRATIONS);
      // A write through one is visible through the others.
      opened
          .get(1)
          .generations()
          .insertAll(List.of(TestStores.record("gen-1", TestStores.KEY_HASH, 7, Instant.now())));
      assertThat(opened.get(2).generations().find("gen-1")).isPresent();
    } finally {
      opened.forEach(Database::close);
    }
  }

  @Test
  void isReachableUntilClosed() {
    Database database = store.open();
    assertThat(database.isReachable()).isTrue();

    database.close();

    assertThat(database.isReachable()).isFalse();
  }

  @Test
  void ensurePartitionsIsIdempotent() {
    try (Database database = store.open()) {
      Instant now = Instant.now();
      database.ensurePartitions(now);
      database.ensurePartitions(now);
      database.generations().insertAll(List.of(TestStores.record("gen-1", "a".repeat(64), 1, now)));
      assertThat(database.generations().find("gen-1")).isPresent();
    }
  }

  @Test
  void aCurrentSchemaIsOpenedWithoutRunningFlyway() throws SQLException {
    store.open().close();
    try (HikariDataSource pool = pool()) {
      // An applied migration edited afterwards: Flyway's validation would refuse to start...
      execute(pool, "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
      assertThatThrownBy(() -> flyway(pool, LATEST).validate())
          .isInstanceOf(FlywayException.class)
          .hasMessageContaining("checksum mismatch");
    }
    // ...but a schema at the latest version is opened without asking Flyway.
    try (Database database = store.open()) {
      assertThat(scalar(database, "SELECT count(*) FROM flyway_schema_history")).isEqualTo(MIGRATIONS);
    }
  }

  @Test
  void aSchemaOneVersionBehindIsMigrated() {
    String previous = String.valueOf(Integer.parseInt(LATEST) - 1);
    try (HikariDataSource pool = pool()) {
      flyway(pool, previous).migrate();
      assertThat(Migrations.appliedVersion(pool)).isEqualTo(Integer.parseInt(previous));
    }

    try (Database database = store.open()) {
      assertThat(Migrations.appliedVersion(database.dataSource())).isEqualTo(Migrations.LATEST);
      assertThat(scalar(database, "SELECT count(*) FROM flyway_schema_history WHERE success"))
          .isEqualTo(MIGRATIONS);
    }
  }

  @Test
  void aFailedMigrationInTheHistoryIsLeftToFlywayToReport() throws SQLException {
    store.open().close();
    try (HikariDataSource pool = pool()) {
      execute(pool, "UPDATE flyway_schema_history SET success = FALSE WHERE version = '" + LATEST + "'");
      assertThat(Migrations.appliedVersion(pool)).isEqualTo(-1);
    }

    assertThatThrownBy(store::open)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("failed migration to version " + LATEST);
  }

  /** A pool on the test's database that migrates nothing by itself. */
  private HikariDataSource pool() {
    StorageConfig config = store.config();
    return config.isSqlite()
        ? SqlitePool.open(Path.of(config.sqlitePath()).toAbsolutePath().normalize())
        : PostgresPool.open(PostgresUrl.parse(config.url(), System.getenv()));
  }

  private Flyway flyway(HikariDataSource pool, String target) {
    String location =
        store.config().isSqlite() ? Database.SQLITE_MIGRATIONS : Database.POSTGRES_MIGRATIONS;
    return Flyway.configure().dataSource(pool).locations(location).target(target).load();
  }

  private static void execute(HikariDataSource pool, String sql) throws SQLException {
    try (var connection = pool.getConnection(); var statement = connection.createStatement()) {
      statement.executeUpdate(sql);
    }
  }
}
