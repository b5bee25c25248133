package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.provider.transport.Http11OnlyServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider set to {@code http2: true} is called over HTTP/2 (cleartext, prior knowledge, as the
 * mock's plain {@code http} URL asks), for answers and for streams, with its key and the answer
 * relayed as over HTTP/1.1; clients still talk HTTP/1.1 to the gateway. One set to HTTP/2 in front
 * of a server that speaks only HTTP/1.1 fails over to the next provider, and alone it answers with
 * an error that names the setting.
 */
class Http2UpstreamTest {
  @TempDir static Path dir;
  static GatewayFixture gateway;
  static Http11OnlyServer http11Only;

  @BeforeAll
  static void start() throws IOException {
    http11Only = Http11OnlyServer.start();
    gateway = GatewayFixture.start(dir, 1, env -> """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: %s }
        providers:
          mock: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY}, http2: true }
          h1only: { kind: openai-compatible, base_url: "http://127.0.0.1:%d/v1", api_key: unused, http2: true }
        models:
          - id: mock/mock-model
            name: Mock Model
            context_length: 32768
            endpoints:
              - provider: mock
                model: mock-model
                pricing: { prompt: "0.000001", completion: "0.000002" }
              - provider: h1only
                model: mock-model
                pricing: { prompt: "0.0000001", completion: "0.0000002" }
        routing:
          health: { breaker_failures: 0 }
        """.formatted(env.storageUrl(), env.mockUrl(0), http11Only.port()));
  }

  @AfterAll
  static void stop() throws IOException {
    gateway.close();
    http11Only.close();
  }

  @Test
  void aChatCompletionGoesUpstreamOverHttp2() {
    HttpResponse<String> response = gateway.chat(body("Say hello", "\"provider\":{\"order\":[\"mock\"]}"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(GatewayFixture.json(response.body()).path("choices").path(0).path("message").path("content").asText())
        .isNotEmpty();
    assertThat(gateway.mock().stats().lastProtocol()).isEqualTo("HTTP/2");
    assertThat(gateway.mock().stats().lastHeaders()).containsEntry("authorization", "Bearer " + GatewayFixture.MOCK_KEY);
  }

  @Test
  void aStreamGoesUpstreamOverHttp2AndEndsWithUsage() {
    HttpResponse<String> response =
        gateway.chat(body("Say hello", StreamingTest.STREAM + ",\"provider\":{\"order\":[\"mock\"]}"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"usage\"").endsWith("data: [DONE]\n\n");
    assertThat(gateway.mock().stats().lastProtocol()).isEqualTo("HTTP/2");
    assertThat(gateway.mock().stats().streamsCompleted()).isPositive();
  }

  @Test
  void aProviderThatCannotSpeakHttp2FallsOverToTheNext() {
    int refusedBefore = http11Only.prefacesRefused();
    long servedBefore = gateway.mock().stats().requests();

    // Sorted by price: the cheaper, misconfigured provider first.
    HttpResponse<String> response = gateway.chat(body("Say hello", "\"provider\":{\"sort\":\"price\"}"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(http11Only.prefacesRefused()).isGreaterThan(refusedBefore);
    assertThat(gateway.mock().stats().requests()).isEqualTo(servedBefore + 1);
  }

  @Test
  void aloneItAnswersWithAnErrorThatNamesTheSetting() {
    HttpResponse<String> response = gateway.chat(
        body("Say hello", "\"provider\":{\"order\":[\"h1only\"],\"allow_fallbacks\":false}"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
    assertThat(response.body()).contains("http2: false");
  }
}
