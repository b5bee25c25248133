package dev.switchboard.it.process;

import dev.switchboard.config.StorageConfig;
import dev.switchboard.store.RequiresPostgres;
import dev.switchboard.store.TestPostgres;
import dev.switchboard.store.TestStore;
import java.nio.file.Path;

/** {@link CrashRecoveryContract} on a fresh PostgreSQL schema. */
@RequiresPostgres
class PostgresCrashRecoveryTest extends CrashRecoveryContract {
  private TestStore store;

  @Override
  protected StorageConfig storage(Path dir) {
    store = TestPostgres.freshSchema();
    return store.config();
  }

  @Override
  protected void dropStorage() {
    if (store != null) {
      store.close();
    }
  }
}
