package dev.switchboard.it.process;

import dev.switchboard.config.StorageConfig;
import dev.switchboard.store.TestStores;
import java.nio.file.Path;

/** {@link CrashRecoveryContract} on a SQLite file. */
class CrashRecoveryTest extends CrashRecoveryContract {
  @Override
  protected StorageConfig storage(Path dir) {
    return TestStores.sqlite(dir.resolve("gateway.db"));
  }
}
