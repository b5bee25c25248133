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
                      + " AND name IN ('accounts', 'api_keys', 'generations')"))
          .isEqualTo(3);
      assertThat(
              scalar(
                  database,
                  "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                      + " AND name IN ('generations_key_created_idx', 'generations_created_idx')"))
          .isEqualTo(2);
      assertThat(text(database, "SELECT version FROM flyway_schema_history WHERE success = 1"))
          .isEqualTo("1");
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
      assertThat(scalar(database, "SELECT count(*) FROM flyway_schema_history")).isEqualTo(1);
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
          .isEqualTo(1);
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
}
