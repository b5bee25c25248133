package dev.switchboard.store.sqlite;

import dev.switchboard.store.AccountingContract;
import dev.switchboard.store.TestStore;
import dev.switchboard.store.TestStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link AccountingContract} on a SQLite file. */
class SqliteAccountingTest extends AccountingContract {
  @TempDir Path dir;

  @Override
  protected TestStore newStore() {
    return TestStores.sqliteStore(dir.resolve("switchboard.db"));
  }
}
