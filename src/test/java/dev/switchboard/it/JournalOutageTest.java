package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * On SQLite a request is journaled in a file before any byte goes upstream (docs/accounting.md). A
 * journal that cannot be written refuses the request with the store's 503, before the provider
 * sees it and without a charge, and the gateway serves again once the journal can be written.
 *
 * <p>The journal is made unwritable by putting a regular file where its directory was: tests run as
 * root here, and root ignores file permissions.
 */
class JournalOutageTest {
  // Held strongly: java.util.logging keeps loggers weakly, and would forget the handler added here.
  private static final Logger JOURNAL = Logger.getLogger("dev.switchboard.store.JournalFiles");

  @TempDir Path dir;
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void captureTheJournalsLog() {
    JOURNAL.setLevel(Level.INFO);
    JOURNAL.addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    JOURNAL.removeHandler(capture);
    JOURNAL.setLevel(null);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aRequestThatCannotBeJournaledIs503AndNeverReachesTheProvider(boolean stream) throws IOException {
    try (GatewayFixture gateway = GatewayFixture.start(dir)) {
      Path journal = dir.resolve("switchboard.db-attempts");
      try (var files = Files.list(journal)) {
        assertThat(files).as("no request yet, so no journal file is open").isEmpty();
      }
      Files.delete(journal);
      Files.writeString(journal, "in the journal's way");
      String request = body("Say hello", "\"stream\":" + stream);

      HttpResponse<String> refused = gateway.chat(request);
      HttpResponse<String> refusedAgain = gateway.chat(request);

      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("retry-after")).isPresent();
      JsonNode error = json(refused.body()).get("error");
      assertThat(error.get("code").asInt()).isEqualTo(503);
      assertThat(error.get("message").asText()).contains("nothing was charged");
      assertThat(refusedAgain.statusCode()).isEqualTo(503);
      assertThat(gateway.mock().stats().requests()).as("never sent upstream").isZero();
      assertThat(gateway.generationsOfKey(gateway.key)).as("nothing recorded or charged").isEmpty();
      assertThat(logged).as("the outage is logged once, for the operator").singleElement().satisfies(record -> {
        assertThat(record.getLevel()).isEqualTo(Level.WARNING);
        assertThat(record.getParameters()).singleElement().asString().contains("cannot create the attempt journal");
      });

      Files.delete(journal);
      Files.createDirectory(journal);
      HttpResponse<String> served = gateway.chat(request);

      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(gateway.mock().stats().requests()).isEqualTo(1);
      assertThat(gateway.generationsOfKey(gateway.key)).hasSize(1);
      assertThat(logged).hasSize(2);
      assertThat(logged.getLast().getLevel()).isEqualTo(Level.INFO);
    }
  }
}
