package dev.switchboard.store.sqlite;

import dev.switchboard.store.JournalContract;
import dev.switchboard.store.TestStore;
import dev.switchboard.store.TestStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link JournalContract} on a SQLite file. */
class SqliteJournalTest extends JournalContract {
  @TempDir Path dir;

  @Override
  protected TestStore newStore() {
    return TestStores.sqliteStore(dir.resolve("switchboard.db"));
  }
}
