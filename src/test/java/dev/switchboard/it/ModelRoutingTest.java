package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model routing over HTTP: variants, presets from the config, and session affinity. {@code
 * mock/mock-model} is served by {@code cheap} (first mock) and by {@code dear} (second mock, ten
 * times the price, so load balancing picks it about once in a hundred).
 */
class ModelRoutingTest {
  @TempDir static Path dir;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir, 2, env -> """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: %s }
        providers:
          cheap: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY} }
          dear: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY} }
        presets:
          terse:
            model: mock/mock-model
            provider: { order: [dear] }
            system_prompt: Answer in one word.
            max_tokens: 64
            temperature: 0.1
        models:
          - id: mock/mock-model
            name: Mock Model
            context_length: 32768
            endpoints:
              - { provider: cheap, model: mock-model, pricing: { prompt: "0.000001", completion: "0.000001" } }
              - { provider: dear, model: mock-model, pricing: { prompt: "0.00001", completion: "0.00001" } }
        """.formatted(env.storageUrl(), env.mockUrl(0), env.mockUrl(1)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static HttpResponse<String> chat(String model, String extra, String sessionHeader) {
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/api/v1/chat/completions"))
        .header("authorization", "Bearer " + gateway.key)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"" + ChatCompletionsTest.PROMPT + "\"}]" + (extra.isEmpty() ? "" : "," + extra) + "}"));
    if (sessionHeader != null) {
      request.header("x-session-id", sessionHeader);
    }
    try {
      return gateway.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static String provider(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response.body()).path("provider").asText();
  }

  @Test
  void presetSuppliesModelRoutingAndParameterDefaults() {
    HttpResponse<String> response = chat("@preset/terse", "\"temperature\":0.7", null);

    assertThat(provider(response)).as("the preset's provider.order").isEqualTo("dear");
    assertThat(json(response.body()).path("model").asText()).isEqualTo("mock/mock-model");
    JsonNode sent = gateway.mocks.get(1).stats().lastRequest();
    assertThat(sent).isNotNull();
    assertThat(sent.path("max_tokens").asInt(sent.path("max_completion_tokens").asInt())).isEqualTo(64);
    assertThat(sent.path("temperature").asDouble()).as("the request's value wins").isEqualTo(0.7);
    assertThat(sent.path("messages").path(0).path("role").asText()).isEqualTo("system");
    assertThat(sent.path("messages").path(0).path("content").asText()).isEqualTo("Answer in one word.");
    assertThat(chat("mock/mock-model", "\"preset\":\"terse\"", null).statusCode()).isEqualTo(200);
    assertThat(gateway.mocks.get(1).stats().lastRequest().has("preset")).as("never forwarded").isFalse();
    assertThat(chat("@preset/missing", "", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aSessionStaysOnTheEndpointThatServedIt() {
    // Pinned to dear by an explicit order; afterwards load balancing would pick cheap 99 times in 100.
    assertThat(provider(chat("mock/mock-model", "\"provider\":{\"order\":[\"dear\"]}", "conv-header"))).isEqualTo("dear");
    for (int i = 0; i < 3; i++) {
      assertThat(provider(chat("mock/mock-model", "", "conv-header"))).isEqualTo("dear");
    }

    assertThat(provider(chat("mock/mock-model", "\"provider\":{\"order\":[\"dear\"]},\"session_id\":\"conv-body\"",
        null))).isEqualTo("dear");
    assertThat(gateway.mocks.get(1).stats().lastRequest().has("session_id")).as("never forwarded").isFalse();
    for (int i = 0; i < 3; i++) {
      assertThat(provider(chat("mock/mock-model", "\"session_id\":\"conv-body\"", null))).isEqualTo("dear");
    }

    assertThat(provider(chat("mock/mock-model", "\"provider\":{\"order\":[\"dear\"]},\"prompt_cache_key\":\"pk-1\"",
        null))).isEqualTo("dear");
    for (int i = 0; i < 3; i++) {
      assertThat(provider(chat("mock/mock-model", "\"prompt_cache_key\":\"pk-1\"", null))).isEqualTo("dear");
    }
  }

  @Test
  void variantsSortOrFilterTheModelsEndpoints() {
    assertThat(provider(chat("mock/mock-model:floor", "", null))).isEqualTo("cheap");
    HttpResponse<String> free = chat("mock/mock-model:free", "", null);
    assertThat(free.statusCode()).isEqualTo(404);
    assertThat(json(free.body()).path("error").path("message").asText()).contains(":free variant");
  }
}
