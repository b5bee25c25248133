package dev.switchboard.app.cli;

import static dev.switchboard.store.TestStores.KEY_HASH;
import static dev.switchboard.store.TestStores.record;
import static dev.switchboard.store.TestStores.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.StorageConfig;
import dev.switchboard.keys.ApiKeys;
import dev.switchboard.keys.KeyService;
import dev.switchboard.store.ApiKey;
import dev.switchboard.store.Database;
import dev.switchboard.store.GenerationWriter;
import dev.switchboard.store.TestStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The real situation: {@code switchboard keys create} runs in its own JVM while the server, here
 * this test's JVM, holds the same SQLite file open and keeps writing generation records.
 */
class KeysCommandProcessTest {
  @TempDir Path dir;

  /** The child process: runs {@code keys ARGS} against {@code sqlite:FILE}. */
  public static void main(String[] args) {
    StorageConfig storage = new StorageConfig("sqlite:" + args[0]);
    String[] keysArgs = List.of(args).subList(1, args.length).toArray(String[]::new);
    System.exit(new CommandLine(new KeysCommand(configFile -> storage)).execute(keysArgs));
  }

  @Test
  void aKeyCreatedByAnotherProcessWhileTheServerWritesAuthenticatesAtOnce() throws Exception {
    Path file = dir.resolve("shared/switchboard.db");
    // Both processes start on a file that does not exist yet: one migrates it, the other waits.
    Process cli =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KeysCommandProcessTest.class.getName(),
                file.toString(),
                "create",
                "--name",
                "from another process")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<CompletableFuture<Void>> written = new CopyOnWriteArrayList<>();
    try (Database server = TestStores.open(file);
        GenerationWriter writer = GenerationWriter.create(server.generations())) {
      AtomicBoolean cliRunning = new AtomicBoolean(true);
      Thread traffic =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; cliRunning.get() || i < 100; i++) {
                      written.add(writer.submit(record("gen-" + i, KEY_HASH, 1, Instant.now())));
                    }
                  });
      String out = readAll(cli);
      assertThat(cli.waitFor()).isZero();
      cliRunning.set(false);
      traffic.join();
      CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get();

      String plaintext = out.lines().toList().getLast();
      KeyService keys =
          new KeyService(server.keys(), ApiKeys.create(), Clock.systemUTC(), Duration.ZERO);
      assertThat(keys.authenticate(plaintext))
          .get()
          .extracting(ApiKey::name)
          .isEqualTo("from another process");
      writer.close();
      assertThat(scalar(server, "SELECT count(*) FROM generations")).isEqualTo(written.size());
      // Each migration applied once, though two processes opened the fresh file at once.
      assertThat(scalar(server, "SELECT count(*) FROM flyway_schema_history"))
          .isEqualTo(scalar(server, "SELECT count(DISTINCT version) FROM flyway_schema_history"))
          .isEqualTo(3);
      // The server's charges and counters kept pace with its records.
      assertThat(server.keys().usage(KEY_HASH, Instant.now()).totalNanos()).isEqualTo(written.size());
    }
  }

  private static String readAll(Process process) throws IOException {
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
