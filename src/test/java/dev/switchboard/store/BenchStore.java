package dev.switchboard.store;

import dev.switchboard.config.StorageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;

/**
 * What the hand-run store benchmarks write through: a database (a new SQLite file, or the
 * PostgreSQL URL given as the first argument), its generation writer, and a node whose lease is
 * live, so that its journal rows are not orphans. On SQLite the journal is in files, as in the
 * gateway; {@code -Djournal=table} puts it in the {@code in_flight} table instead.
 */
record BenchStore(StorageConfig storage, Database database, GenerationWriter writer, NodeJournal node)
    implements AutoCloseable {

  static BenchStore open(String[] args, String name) throws IOException {
    StorageConfig storage = args.length > 0 ? new StorageConfig(args[0])
        : new StorageConfig("sqlite:" + Files.createTempDirectory(name).resolve("bench.db"));
    Database database = Database.open(storage);
    NodeJournal node = new NodeJournal(database.dataSource(), database.generations(),
        database.journalDirectory(), "bench:1", Duration.ofSeconds(30), Instant.now());
    // As the gateway runs: journal files on SQLite, unless -Djournal=table asks for the table.
    boolean files = database.journalDirectory() != null && !"table".equals(System.getProperty("journal"));
    GenerationWriter writer = GenerationWriter.create(database.generations(), files
        ? JournalFiles.open(database.journalDirectory(), node.id(), JournalFiles.DEFAULT_SEGMENT_BYTES) : null);
    node.heartbeat(Instant.now());
    return new BenchStore(storage, database, writer, node);
  }

  /** Whether the journal is in files (else in the table). */
  boolean journalFiles() {
    return database.journalDirectory() != null && !"table".equals(System.getProperty("journal"));
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
