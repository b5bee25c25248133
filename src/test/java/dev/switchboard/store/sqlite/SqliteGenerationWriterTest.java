package dev.switchboard.store.sqlite;

import dev.switchboard.store.GenerationWriterContract;
import dev.switchboard.store.TestStore;
import dev.switchboard.store.TestStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GenerationWriterContract} on a SQLite file: the generation writer on this back-end.
 */
class SqliteGenerationWriterTest extends GenerationWriterContract {
  @TempDir Path dir;

  @Override
  protected TestStore newStore() {
    return TestStores.sqliteStore(dir.resolve("switchboard.db"));
  }
}
