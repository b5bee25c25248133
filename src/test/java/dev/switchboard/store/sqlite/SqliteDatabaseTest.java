package dev.switchboard.store.sqlite;

import static dev.switchboard.store.TestStores.open;
import static dev.switchboard.store.TestStores.scalar;
import static dev.switchboard.store.TestStores.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.store.Database;
import dev.switchboard.store.DatabaseContract;
import dev.switchboard.store.KeyUsage;
import dev.switchboard.store.StoreException;
import dev.switchboard.store.TestStore;
import dev.switchboard.store.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DatabaseContract} on SQLite files, plus the file handling and pragmas of SQLite. */
class SqliteDatabaseTest extends DatabaseContract {
  @TempDir Path dir;

  @Override
  protected TestStore newStore() {
    return TestStores.sqliteStore(dir.resolve("switchboard.db"));
  }

  @Test
  void createsParentDirectoriesAndTheSchema() {
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
    }
  }

  @Test
  void setsThePragmasOnPooledConnections() {
    try (Database database = store().open()) {
      assertThat(text(database, "PRAGMA journal_mode")).isEqualTo("wal");
      assertThat(scalar(database, "PRAGMA synchronous")).isEqualTo(1); // NORMAL
      assertThat(scalar(database, "PRAGMA busy_timeout")).isEqualTo(5000);
      assertThat(scalar(database, "PRAGMA foreign_keys")).isEqualTo(1);
    }
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
          .locations("classpath:db/migration/sqlite")
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
