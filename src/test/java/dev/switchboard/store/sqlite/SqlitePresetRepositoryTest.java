package dev.switchboard.store.sqlite;

import dev.switchboard.store.PresetRepositoryContract;
import dev.switchboard.store.TestStore;
import dev.switchboard.store.TestStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link PresetRepositoryContract} on a SQLite file. */
class SqlitePresetRepositoryTest extends PresetRepositoryContract {
  @TempDir Path dir;

  @Override
  protected TestStore newStore() {
    return TestStores.sqliteStore(dir.resolve("switchboard.db"));
  }
  @org.junit.jupiter.api.Test
  void theBackEndHasItsOwnRepository() {
    try (TestStore store = newStore(); var database = store.open()) {
      org.assertj.core.api.Assertions.assertThat(database.presets()).isInstanceOf(dev.switchboard.store.JdbcPresetRepository.class);
    }
  }
}
