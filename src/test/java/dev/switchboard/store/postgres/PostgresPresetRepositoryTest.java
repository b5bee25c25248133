package dev.switchboard.store.postgres;

import dev.switchboard.store.PresetRepositoryContract;
import dev.switchboard.store.RequiresPostgres;
import dev.switchboard.store.TestPostgres;
import dev.switchboard.store.TestStore;

/** {@link PresetRepositoryContract} on a fresh PostgreSQL schema. */
@RequiresPostgres
class PostgresPresetRepositoryTest extends PresetRepositoryContract {
  @Override
  protected TestStore newStore() {
    return TestPostgres.freshSchema();
  }
  @org.junit.jupiter.api.Test
  void theBackEndHasItsOwnRepository() {
    try (TestStore store = newStore(); var database = store.open()) {
      org.assertj.core.api.Assertions.assertThat(database.presets()).isInstanceOf(dev.switchboard.store.JdbcPresetRepository.class);
    }
  }
}
