package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An endpoint that does not support a requested parameter still serves the request, without that
 * parameter, and the response says what was dropped; with {@code require_parameters} it is
 * skipped instead.
 */
class DroppedParametersTest {
  @TempDir static Path dir;
  static GatewayFixture gateway;

  private static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
      + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir, 1, env -> """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: %s }
        providers:
          mock: { kind: openai-compatible, base_url: %s, api_key: "${MOCK_KEY}" }
        models:
          - id: mock/mock-model
            name: Mock Model
            context_length: 32768
            endpoints:
              - provider: mock
                model: mock-model
                pricing: { prompt: "0.000001", completion: "0.000002" }
                supported_parameters: [max_tokens, temperature]
        """.formatted(env.storageUrl(), env.mockUrl(0)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void unsupportedParametersAreDroppedAndNamed() {
    var response = gateway.chat(GatewayFixture.body("hello", TOOLS + ",\"seed\":7,\"temperature\":0.5"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-switchboard-dropped-parameters")).hasValue("tools, seed");
    JsonNode upstream = gateway.mock().stats().lastRequest();
    assertThat(upstream.has("tools")).isFalse();
    assertThat(upstream.has("seed")).isFalse();
    assertThat(upstream.path("temperature").asDouble()).isEqualTo(0.5);
  }

  @Test
  void aRequestThatFitsCarriesNoHeader() {
    var response = gateway.chat(GatewayFixture.body("hello", "\"temperature\":0.5"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-switchboard-dropped-parameters")).isEmpty();
  }

  @Test
  void requireParametersSkipsTheEndpointInstead() {
    var response = gateway.chat(GatewayFixture.body("hello", TOOLS + ",\"provider\":{\"require_parameters\":true}"));

    // No endpoint satisfies the preferences: OpenRouter's 404 (constraint_filtered).
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(GatewayFixture.json(response.body()).path("error").path("message").asText())
        .contains("require_parameters").contains("tools");
    assertThat(GatewayFixture.json(response.body()).path("error").path("metadata").path("availability")
        .path("excluded_by").toString()).isEqualTo("[\"require_parameters\"]");
  }
}
