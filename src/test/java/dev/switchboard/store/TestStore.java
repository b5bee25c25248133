package dev.switchboard.store;

import dev.switchboard.config.StorageConfig;

/**
 * A database that exists for one test: a SQLite file in a temporary folder, or a fresh schema on
 * the test PostgreSQL server. {@link #open} may be called again after a {@link Database} is closed
 * (to check durability); {@link #close} removes the database.
 */
public interface TestStore extends AutoCloseable {
  /** The storage url, stable for the life of this store. */
  StorageConfig config();

  /** Opens (and on first use migrates) the database. */
  default Database open() {
    return Database.open(config());
  }

  /** Removes the database: drops the PostgreSQL schema; SQLite files go with their temp folder. */
  @Override
  void close();
}
