package dev.switchboard.store.postgres;

import dev.switchboard.store.GenerationWriterContract;
import dev.switchboard.store.RequiresPostgres;
import dev.switchboard.store.TestPostgres;
import dev.switchboard.store.TestStore;

/**
 * {@link GenerationWriterContract} on a fresh PostgreSQL schema: the generation writer (grouping
 * and durability) on this back-end.
 */
@RequiresPostgres
class PostgresGenerationWriterTest extends GenerationWriterContract {
  @Override
  protected TestStore newStore() {
    return TestPostgres.freshSchema();
  }
}
