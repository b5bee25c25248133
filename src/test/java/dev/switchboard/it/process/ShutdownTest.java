package dev.switchboard.it.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.StorageConfig;
import dev.switchboard.keys.ApiKeys;
import dev.switchboard.mock.MockOptions;
import dev.switchboard.mock.MockUpstream;
import dev.switchboard.store.Database;
import dev.switchboard.store.TestStores;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM with connections open: the gateway exits within a bound, and the stream it cut has its
 * generation recorded (the attempt journal is settled, not left for crash recovery).
 */
class ShutdownTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Generous: the gateway gives requests in progress 5 s, cut streams 3 s to settle. */
  private static final Duration EXIT_BOUND = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void sigtermWithAnOpenStreamAndAnIdleConnectionExitsAndRecordsTheStream() throws Exception {
    String admin = ApiKeys.create().generate();
    StorageConfig storage = new StorageConfig("sqlite:" + dir.resolve("gateway.db"));
    try (MockUpstream mock = MockUpstream.start(MockOptions.of().withPort(0));
        GatewayProcess node = GatewayProcess.start("a", dir, GatewayProcessTest.yaml(mock, dir),
            Map.of("SWITCHBOARD_ADMIN_KEY", admin));
        Socket idle = new Socket("127.0.0.1", node.port())) {
      // An idle keep-alive connection: one answered request, then nothing.
      OutputStream idleOut = idle.getOutputStream();
      idleOut.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      idleOut.flush();
      assertThat(new BufferedReader(new InputStreamReader(idle.getInputStream(), StandardCharsets.US_ASCII))
          .readLine()).contains("200");

      String key = key(node, admin);
      // A stream that would run for 200 s: 400 pieces, half a second apart.
      HttpRequest streamed = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/chat/completions"))
          .header("authorization", "Bearer " + key)
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"mock/mock-model\",\"stream\":true,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"a long story #mock:chunks=400 #mock:chunk-delay=500\"}]}"))
          .build();
      HttpResponse<InputStream> stream = http.send(streamed, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(stream.statusCode()).isEqualTo(200);
      String id = stream.headers().firstValue("x-generation-id").orElseThrow();
      BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
      assertThat(events.readLine()).as("the first event").startsWith("data: ");

      assertThat(node.terminateWithin(EXIT_BOUND)).as("exited within " + EXIT_BOUND + " of SIGTERM:\n"
          + node.logText()).isTrue();

      try (Database books = Database.open(storage)) {
        assertThat(TestStores.text(books, "SELECT status FROM generations WHERE id = '" + id + "'"))
            .as("the cut stream's generation").isEqualTo("cancelled");
        assertThat(TestStores.unsettled(books)).as("unsettled attempts").isZero();
      }
      assertThat(node.logText()).contains("stopped in");
    }
  }

  private String key(GatewayProcess node, String admin) throws Exception {
    HttpRequest create = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/keys"))
        .header("authorization", "Bearer " + admin)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"app\"}"))
        .build();
    HttpResponse<String> created = http.send(create, HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).path("key").asText();
  }
}
