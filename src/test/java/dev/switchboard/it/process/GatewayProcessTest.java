package dev.switchboard.it.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.keys.ApiKeys;
import dev.switchboard.mock.MockOptions;
import dev.switchboard.mock.MockUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child-process fixture itself: a node starts, serves with a key made over the API, and dies on SIGKILL. */
class GatewayProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aChildGatewayServesAndDiesOnSigkill(@TempDir Path dir) throws Exception {
    String admin = ApiKeys.create().generate();
    try (MockUpstream mock = MockUpstream.start(MockOptions.of().withPort(0));
        GatewayProcess node = GatewayProcess.start("a", dir, yaml(mock, dir), Map.of("SWITCHBOARD_ADMIN_KEY", admin))) {
      HttpResponse<String> created = send(node, "POST", "/api/v1/keys", "{\"name\":\"app\"}", admin);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String key = JSON.readTree(created.body()).path("key").asText();

      HttpResponse<String> chat = send(node, "POST", "/api/v1/chat/completions",
          "{\"model\":\"mock/mock-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key);
      assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
      assertThat(JSON.readTree(chat.body()).path("choices").path(0).path("message").path("content").asText()).isNotBlank();

      node.kill();
      assertThat(node.isAlive()).isFalse();
    }
  }

  static String yaml(MockUpstream mock, Path dir) {
    return GatewayProcess.mockYaml("sqlite:" + dir.resolve("gateway.db"), mock.baseUrl(), "");
  }

  private HttpResponse<String> send(GatewayProcess node, String method, String path, String body, String key)
      throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
        .header("authorization", "Bearer " + key)
        .header("content-type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
