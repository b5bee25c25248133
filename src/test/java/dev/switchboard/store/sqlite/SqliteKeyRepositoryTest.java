package dev.switchboard.store.sqlite;

import dev.switchboard.store.KeyRepositoryContract;
import dev.switchboard.store.TestStore;
import dev.switchboard.store.TestStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KeyRepositoryContract} on a SQLite file: the key repository on this back-end.
 */
class SqliteKeyRepositoryTest extends KeyRepositoryContract {
  @TempDir Path dir;

  @Override
  protected TestStore newStore() {
    return TestStores.sqliteStore(dir.resolve("switchboard.db"));
  }
}
