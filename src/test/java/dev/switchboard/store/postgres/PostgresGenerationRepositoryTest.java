package dev.switchboard.store.postgres;

import dev.switchboard.store.GenerationRepositoryContract;
import dev.switchboard.store.RequiresPostgres;
import dev.switchboard.store.TestPostgres;
import dev.switchboard.store.TestStore;

/**
 * {@link GenerationRepositoryContract} on a fresh PostgreSQL schema: the generation repository on
 * this back-end.
 */
@RequiresPostgres
class PostgresGenerationRepositoryTest extends GenerationRepositoryContract {
  @Override
  protected TestStore newStore() {
    return TestPostgres.freshSchema();
  }
}
