package dev.switchboard.store.postgres;

import dev.switchboard.store.AccountingContract;
import dev.switchboard.store.RequiresPostgres;
import dev.switchboard.store.TestPostgres;
import dev.switchboard.store.TestStore;

/** {@link AccountingContract} on a fresh PostgreSQL schema. */
@RequiresPostgres
class PostgresAccountingTest extends AccountingContract {
  @Override
  protected TestStore newStore() {
    return TestPostgres.freshSchema();
  }
}
