package dev.switchboard.it.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.StorageConfig;
import dev.switchboard.keys.ApiKeys;
import dev.switchboard.mock.MockOptions;
import dev.switchboard.mock.MockUpstream;
import dev.switchboard.store.Database;
import dev.switchboard.store.TestStores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test: a real gateway process under concurrent load (streams and non-streamed requests
 * slowed by the mock so that many are mid-flight, plus fast ones settling all the time) is killed
 * with SIGKILL, restarted on the same port and database, and the books are checked in SQL: every
 * journaled attempt has a generation and (when priced) exactly one charge, the ledger's charges sum
 * to the generations' costs, and the account and key counters agree with both. Run on each
 * back-end by a subclass.
 */
abstract class CrashRecoveryContract {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SLOW_STREAMS = 12;
  private static final int SLOW_COMPLETIONS = 8;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The storage url of a fresh database, as YAML (quoted where needed). */
  protected abstract StorageConfig storage(Path dir);

  /** Called once the test is over, to drop the database. */
  protected void dropStorage() {}

  private static String yaml(MockUpstream mock, StorageConfig storage) {
    return GatewayProcess.mockYaml(storage.url(), mock.baseUrl(), """
        routing: { health: { breaker_failures: 0, max_retry_after: 0s } }
        accounting: { node_lease: 2s }
        """);
  }

  @Test
  void aGatewayKilledMidStreamLosesNoChargeAndChargesNothingTwice() throws Exception {
    StorageConfig storage = storage(dir);
    String admin = ApiKeys.create().generate();
    Map<String, String> env = Map.of("SWITCHBOARD_ADMIN_KEY", admin);
    Set<String> completed = ConcurrentHashMap.newKeySet();
    long inFlightAtCrash;
    long settledAtCrash;
    long mockRequests;
    try (MockUpstream mock = MockUpstream.start(MockOptions.of().withPort(0))) {
      String yaml = yaml(mock, storage);
      GatewayProcess node = GatewayProcess.start("a", dir, yaml, env);
      int port = node.port();
      String key;
      try {
        HttpResponse<String> created = send(node, "/api/v1/keys", "{\"name\":\"load\",\"limit\":100}", admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        key = JSON.readTree(created.body()).path("key").asText();

        AtomicBoolean crashed = new AtomicBoolean();
        try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
          for (int i = 0; i < SLOW_STREAMS; i++) {
            load.submit(() -> chat(node, key, true, "#mock:chunks=40 #mock:chunk-delay=150", completed));
          }
          for (int i = 0; i < SLOW_COMPLETIONS; i++) {
            load.submit(() -> chat(node, key, false, "#mock:delay=6000", completed));
          }
          for (int t = 0; t < 4; t++) {
            load.submit(() -> {
              boolean stream = false;
              while (!crashed.get()) {
                chat(node, key, stream = !stream, "", completed);
              }
            });
          }
          // Every slow request has reached the upstream, the streams have started and some fast
          // requests have completed: kill mid-stream, with fast ones settling all the while.
          long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
          while (mock.stats().streamsStarted() < SLOW_STREAMS || slowPending(mock) < SLOW_COMPLETIONS
              || completed.size() < 4) {
            assertThat(System.nanoTime()).as("the slow requests never all reached the mock").isLessThan(deadline);
            Thread.sleep(20);
          }
          Thread.sleep(300);
          node.kill();
          crashed.set(true);
          mockRequests = mock.stats().requests();
        }
      } finally {
        node.close();
      }

      try (Database books = Database.open(storage)) {
        inFlightAtCrash = TestStores.unsettled(books);
        settledAtCrash = TestStores.settledNotStored(books);
      }
      // A test that cannot fail is a defect: the kill must have left attempts unsettled.
      assertThat(inFlightAtCrash).as("journal rows left by the crash").isGreaterThanOrEqualTo(SLOW_STREAMS);
      assertThat(completed).as("requests that completed before the crash").isNotEmpty();

      // Recovery runs before the restarted node reports ready.
      try (GatewayProcess restarted = GatewayProcess.start("a2", dir, port, yaml, env)) {
        String id;
        try (Database books = Database.open(storage)) {
          id = TestStores.text(books, "SELECT id FROM generations WHERE recovered ORDER BY id LIMIT 1");
        }
        HttpRequest get = HttpRequest.newBuilder(URI.create(restarted.baseUrl() + "/api/v1/generation?id=" + id))
            .header("authorization", "Bearer " + admin).build();
        var generation = JSON.readTree(http.send(get, HttpResponse.BodyHandlers.ofString()).body()).path("data");
        assertThat(generation.path("recovered").asBoolean()).as(generation.toString()).isTrue();
        assertThat(generation.path("usage_estimated").asBoolean()).isTrue();
        assertThat(generation.path("status").asText()).isEqualTo("error");
        assertThat(generation.path("error_message").asText()).contains("reserved estimate");
      }
    }

    try (Database books = Database.open(storage)) {
      Books.Totals totals = Books.assertBalanced(books, mockRequests, inFlightAtCrash, completed);
      System.out.printf("crash test (%s): %d requests reached the mock, %d completed, %d journal rows left"
          + " by SIGKILL (and %d settled, not committed), %d generations after restart (%d recovered),"
          + " %d nano-USD charged%n", storage.isSqlite() ? "SQLite" : "PostgreSQL", mockRequests,
          completed.size(), inFlightAtCrash, settledAtCrash, totals.generations(), totals.recovered(),
          totals.costNanos());
    } finally {
      dropStorage();
    }
  }

  /** Non-streamed slow requests the mock holds (received, not yet answered). */
  private static long slowPending(MockUpstream mock) {
    var stats = mock.stats();
    return stats.requests() - stats.streamsStarted();
  }

  private void chat(GatewayProcess node, String key, boolean stream, String directives, Set<String> completed) {
    String body = "{\"model\":\"mock/mock-model\",\"stream\":" + stream
        + ",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"tell me a story " + directives + "\"}]}";
    try {
      HttpResponse<String> response = send(node, "/api/v1/chat/completions", body, key);
      String id = response.headers().firstValue("x-generation-id").orElse(null);
      if (response.statusCode() == 200 && id != null && (!stream || response.body().contains("[DONE]"))) {
        completed.add(id);
      }
    } catch (IOException e) {
      // the gateway died under this request
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpResponse<String> send(GatewayProcess node, String path, String body, String key)
      throws IOException, InterruptedException {
    return node.post(http, path, body, key, Duration.ofSeconds(60));
  }

}
