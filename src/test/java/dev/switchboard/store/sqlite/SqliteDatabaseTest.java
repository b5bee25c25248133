package dev.switchboard.store.sqlite;

import static dev.switchboard.store.TestStores.open;
import static dev.switchboard.store.TestStores.scalar;
import static dev.switchboard.store.TestStores.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.store.Database;
import dev.switchboard.store.DatabaseContract;
import dev.switchboard.store.StoreException;
import dev.switchboard.store.TestStore;
import dev.switchboard.store.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
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
                      + " AND name IN ('accounts', 'api_keys', 'generations')"))
          .isEqualTo(3);
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
}
