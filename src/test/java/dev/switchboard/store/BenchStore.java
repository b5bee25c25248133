package dev.switchboard.store;

import dev.switchboard.config.StorageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;

/**
 * What the hand-run store benchmarks write through: a database (a new SQLite file, or the
 * PostgreSQL URL given as the first argument), its generation writer, and a node whose lease is
 * live, so that its journal rows are not orphans.
 */
record BenchStore(StorageConfig storage, Database database, GenerationWriter writer, NodeJournal node)
    implements AutoCloseable {

  static BenchStore open(String[] args, String name) throws IOException {
    StorageConfig storage = args.length > 0 ? new StorageConfig(args[0])
        : new StorageConfig("sqlite:" + Files.createTempDirectory(name).resolve("bench.db"));
    Database database = Database.open(storage);
    GenerationWriter writer = GenerationWriter.create(database.generations());
    NodeJournal node = new NodeJournal(database.dataSource(), database.generations(), "bench:1",
        Duration.ofSeconds(30), Instant.now());
    node.heartbeat(Instant.now());
    return new BenchStore(storage, database, writer, node);
  }

  /** "SQLite" or "PostgreSQL", for the printed figures. */
  String backEnd() {
    return storage.isSqlite() ? "SQLite" : "PostgreSQL";
  }

  @Override
  public void close() {
    try {
      writer.close();
    } finally {
      database.close();
    }
  }
}
