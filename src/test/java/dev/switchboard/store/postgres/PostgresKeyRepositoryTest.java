package dev.switchboard.store.postgres;

import dev.switchboard.store.KeyRepositoryContract;
import dev.switchboard.store.RequiresPostgres;
import dev.switchboard.store.TestPostgres;
import dev.switchboard.store.TestStore;

/**
 * {@link KeyRepositoryContract} on a fresh PostgreSQL schema: the key repository on this back-end.
 */
@RequiresPostgres
class PostgresKeyRepositoryTest extends KeyRepositoryContract {
  @Override
  protected TestStore newStore() {
    return TestPostgres.freshSchema();
  }
}
