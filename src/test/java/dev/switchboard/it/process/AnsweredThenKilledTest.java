package dev.switchboard.it.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.StorageConfig;
import dev.switchboard.keys.ApiKeys;
import dev.switchboard.mock.MockOptions;
import dev.switchboard.mock.MockUpstream;
import dev.switchboard.store.Database;
import dev.switchboard.store.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite gateway answers a request once its settlement is journaled, before the commit. Killed in
 * between (here: while another connection holds the database's write lock, so no commit can run),
 * it loses nothing: the restarted gateway stores each answered request as it settled, with its real
 * usage and cost, not at its estimate, and charges it once.
 */
class AnsweredThenKilledTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ANSWERED = 3;
  /** The catalog's prices below, in nano-USD per token. */
  private static final long PROMPT_NANOS = 1_000;
  private static final long COMPLETION_NANOS = 2_000;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void requestsAnsweredButNotCommittedWhenTheGatewayIsKilledAreStoredAsTheySettled() throws Exception {
    StorageConfig storage = TestStores.sqlite(dir.resolve("gateway.db"));
    String admin = ApiKeys.create().generate();
    Map<String, String> env = Map.of("SWITCHBOARD_ADMIN_KEY", admin);
    Map<String, Long> answered = new LinkedHashMap<>(); // generation id → the cost of its usage
    long mockRequests;
    try (MockUpstream mock = MockUpstream.start(MockOptions.of().withPort(0))) {
      String yaml = GatewayProcess.mockYaml(storage.url(), mock.baseUrl(), "");
      int port;
      try (GatewayProcess node = GatewayProcess.start("a", dir, yaml, env)) {
        port = node.port();
        HttpResponse<String> created = send(node, "/api/v1/keys", "{\"name\":\"killed\",\"limit\":100}", admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key = JSON.readTree(created.body()).path("key").asText();
        HttpResponse<String> warmUp = send(node, "/api/v1/chat/completions", chat(), key);
        assertThat(warmUp.statusCode()).isEqualTo(200);
        // Its commit may follow its answer: reading it waits for that, so the lock below holds back only the three.
        HttpResponse<String> warmUpRead = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl()
                + "/api/v1/generation?id=" + warmUp.headers().firstValue("x-generation-id").orElseThrow()))
            .header("authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(warmUpRead.statusCode()).as(warmUpRead.body()).isEqualTo(200);

        try (Connection lock = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("gateway.db"));
            Statement statement = lock.createStatement()) {
          statement.execute("BEGIN IMMEDIATE"); // the gateway's commits wait behind it (up to 5 s)
          for (int i = 0; i < ANSWERED; i++) {
            HttpResponse<String> response = send(node, "/api/v1/chat/completions", chat(), key);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode usage = JSON.readTree(response.body()).path("usage");
            answered.put(response.headers().firstValue("x-generation-id").orElseThrow(),
                usage.path("prompt_tokens").asLong() * PROMPT_NANOS
                    + usage.path("completion_tokens").asLong() * COMPLETION_NANOS);
          }
          node.kill();
          statement.execute("ROLLBACK");
        }
        mockRequests = mock.stats().requests();
      }

      try (Database books = Database.open(storage)) {
        assertThat(TestStores.settledNotStored(books)).as("answered, not committed").isEqualTo(ANSWERED);
        assertThat(TestStores.unsettled(books)).isZero();
      }
      try (GatewayProcess restarted = GatewayProcess.start("a2", dir, port, yaml, env)) {
        assertThat(restarted.isAlive()).isTrue(); // ready: recovery has run
      }
    }

    try (Database books = Database.open(storage)) {
      for (var request : answered.entrySet()) {
        var stored = books.generations().find(request.getKey()).orElseThrow();
        assertThat(stored.recovered()).as(request.getKey()).isFalse();
        assertThat(stored.usage().estimated()).isFalse();
        assertThat(stored.costNanos()).as("its own usage's cost").isEqualTo(request.getValue()).isPositive();
      }
      Books.assertBalanced(books, mockRequests, 0, Set.copyOf(answered.keySet()));
    }
  }

  private static String chat() {
    return "{\"model\":\"mock/mock-model\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  private HttpResponse<String> send(GatewayProcess node, String path, String body, String key) throws Exception {
    // Inside the store's 5 s busy timeout, so a request that waited for the held lock fails the test.
    return node.post(http, path, body, key, Duration.ofSeconds(3));
  }

}
