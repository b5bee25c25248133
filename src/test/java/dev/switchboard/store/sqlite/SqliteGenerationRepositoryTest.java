package dev.switchboard.store.sqlite;

import dev.switchboard.store.GenerationRepositoryContract;
import dev.switchboard.store.TestStore;
import dev.switchboard.store.TestStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GenerationRepositoryContract} on a SQLite file: the generation repository on this
 * back-end.
 */
class SqliteGenerationRepositoryTest extends GenerationRepositoryContract {
  @TempDir Path dir;

  @Override
  protected TestStore newStore() {
    return TestStores.sqliteStore(dir.resolve("switchboard.db"));
  }
}
