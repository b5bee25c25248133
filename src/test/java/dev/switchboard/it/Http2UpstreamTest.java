package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider set to {@code http2: true} is called over HTTP/2 (cleartext, prior knowledge, as the
 * mock's plain {@code http} URL asks), for answers and for streams, with its key and the answer
 * relayed as over HTTP/1.1; clients still talk HTTP/1.1 to the gateway.
 */
class Http2UpstreamTest {
  @TempDir static Path dir;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir, 1, env -> GatewayFixture.contractYaml(env, "", ", http2: true"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void aChatCompletionGoesUpstreamOverHttp2() {
    HttpResponse<String> response = gateway.chat(body("Say hello", ""));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(GatewayFixture.json(response.body()).path("choices").path(0).path("message").path("content").asText())
        .isNotEmpty();
    assertThat(gateway.mock().stats().lastProtocol()).isEqualTo("HTTP/2");
    assertThat(gateway.mock().stats().lastHeaders()).containsEntry("authorization", "Bearer " + GatewayFixture.MOCK_KEY);
  }

  @Test
  void aStreamGoesUpstreamOverHttp2AndEndsWithUsage() {
    HttpResponse<String> response = gateway.chat(body("Say hello", StreamingTest.STREAM));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"usage\"").endsWith("data: [DONE]\n\n");
    assertThat(gateway.mock().stats().lastProtocol()).isEqualTo("HTTP/2");
    assertThat(gateway.mock().stats().streamsCompleted()).isPositive();
  }
}
