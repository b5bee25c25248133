package dev.switchboard.store;

import static dev.switchboard.store.TestStores.open;
import static dev.switchboard.store.TestStores.scalar;
import static dev.switchboard.store.TestStores.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.StorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  /** The migrations in db/migration/sqlite: each must be applied exactly once. */
  private static final long MIGRATIONS = 2;

  @TempDir Path dir;

  @Test
  void createsParentDirectoriesAndAppliesMigrations() {
    Path file = dir.resolve("nested/deeper/switchboard.db");
    try (Database database = open(file)) {
      assertThat(file).exists();
      assertThat(
              scalar(
                  database,
                  "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                      + " AND name IN ('accounts', 'api_keys', 'generations', 'key_usage',"
                      + " 'ledger', 'usage_daily')"))
          .isEqualTo(6);
      assertThat(
              scalar(
                  database,
                  "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                      + " AND name IN ('generations_key_created_idx', 'generations_created_idx')"))
          .isEqualTo(2);
      assertThat(
              text(
                  database,
                  "SELECT group_concat(version, ',') FROM"
                      + " (SELECT version FROM flyway_schema_history WHERE success = 1"
                      + " ORDER BY installed_rank)"))
          .isEqualTo("1,2");
      assertThat(text(database, "SELECT name FROM accounts WHERE id = 'default'"))
          .isEqualTo("Default");
    }
  }

  @Test
  void setsThePragmasOnPooledConnections() {
    try (Database database = open(dir.resolve("p.db"))) {
      assertThat(text(database, "PRAGMA journal_mode")).isEqualTo("wal");
      assertThat(scalar(database, "PRAGMA synchronous")).isEqualTo(1); // NORMAL
      assertThat(scalar(database, "PRAGMA busy_timeout")).isEqualTo(5000);
      assertThat(scalar(database, "PRAGMA foreign_keys")).isEqualTo(1);
    }
  }

  @Test
  void reopeningAMigratedFileAppliesNothingTwice() {
    Path file = dir.resolve("again.db");
    open(file).close();
    try (Database database = open(file)) {
      assertThat(scalar(database, "SELECT count(*) FROM flyway_schema_history"))
          .isEqualTo(MIGRATIONS);
      assertThat(scalar(database, "SELECT count(*) FROM accounts")).isEqualTo(1);
    }
  }

  @Test
  void databasesOpenedAtOnceOnAFreshFileMigrateItOnce() throws Exception {
    Path file = dir.resolve("race.db");
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
                  return open(file);
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
  void enforcesForeignKeys() {
    try (Database database = open(dir.resolve("fk.db"))) {
      Instant now = Instant.now();
      ApiKey orphan =
          new ApiKey(
              TestStores.KEY_HASH,
              "no-such-account",
              "n",
              "sk-sb-v1-abc...xyz",
              KeyKind.INFERENCE,
              false,
              null,
              null,
              null,
              now,
              now,
              null);
      assertThatThrownBy(() -> database.keys().insert(orphan))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("FOREIGN KEY");
    }
  }

  @Test
  void rejectsUrlsOfOtherBackEndsWithoutEchoingThem() {
    assertThatThrownBy(() -> Database.open(new StorageConfig("postgresql://u:hunter2@db/sb")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not implemented")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> Database.open(new StorageConfig("mysql://db")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sqlite:");
  }

  @Test
  void failsClearlyWhenTheDirectoryCannotBeCreated() throws Exception {
    Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> open(blocker.resolve("sb.db")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot create directory");
  }

  @Test
  void migrationTwoAccountsForWhatAVersionOneDatabaseHadRecorded() throws Exception {
    Path file = dir.resolve("v1.db");
    Instant now = Instant.now();
    try (var pool = dev.switchboard.store.sqlite.SqlitePool.open(file)) {
      org.flywaydb.core.Flyway.configure()
          .dataSource(pool)
          .locations(Database.SQLITE_MIGRATIONS)
          .target("1")
          .load()
          .migrate();
      try (var connection = pool.getConnection();
          var statement = connection.createStatement()) {
        // Written with plain SQL: the V2 repository would also write the V2 tables.
        for (String[] row :
            new String[][] {
              {"gen-1", "a", "700", String.valueOf(now.toEpochMilli())},
              {"gen-2", "a", "0", String.valueOf(now.toEpochMilli())},
              {"gen-3", "b", "50", String.valueOf(now.minusSeconds(40L * 86_400).toEpochMilli())}
            }) {
          statement.executeUpdate(
              "INSERT INTO generations (id, key_hash, account_id, model, provider, status, streamed,"
                  + " prompt_tokens, completion_tokens, usage_estimated, cost_nanos, latency_ms,"
                  + " attempts, created_at) VALUES ('"
                  + row[0]
                  + "', '"
                  + row[1].repeat(64)
                  + "', 'default', 'openai/gpt-4o', 'openai', 'success', 0, 10, 2, 0, "
                  + row[2]
                  + ", 5, 1, "
                  + row[3]
                  + ")");
        }
      }
    }

    try (Database database = open(file)) {
      assertThat(scalar(database, "SELECT count(*) FROM ledger WHERE kind = 'charge'")).isEqualTo(2);
      assertThat(database.ledger().totals(Database.DEFAULT_ACCOUNT_ID).orElseThrow().usageNanos())
          .isEqualTo(750);
      assertThat(database.keys().usage("a".repeat(64), now)).isEqualTo(new KeyUsage(700, 700, 700, 700));
      assertThat(database.keys().usage("b".repeat(64), now).totalNanos()).isEqualTo(50);
      assertThat(database.keys().usage("b".repeat(64), now).monthlyNanos()).isZero();
      assertThat(scalar(database, "SELECT SUM(requests) FROM usage_daily")).isEqualTo(3);
    }
  }
}
