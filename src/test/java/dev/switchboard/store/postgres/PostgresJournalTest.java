package dev.switchboard.store.postgres;

import dev.switchboard.store.JournalContract;
import dev.switchboard.store.RequiresPostgres;
import dev.switchboard.store.TestPostgres;
import dev.switchboard.store.TestStore;

/** {@link JournalContract} on a fresh PostgreSQL schema. */
@RequiresPostgres
class PostgresJournalTest extends JournalContract {
  @Override
  protected TestStore newStore() {
    return TestPostgres.freshSchema();
  }
}
