package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.json;
import static dev.switchboard.it.GatewayFixture.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fallback across endpoints and models. Three providers serve {@code mock/mock-model}, cheapest
 * first: {@code dead} (a mock that was closed: connection refused), {@code flaky} (the live mock,
 * but its configured header makes every answer a 503) and {@code mock} (healthy, dearest).
 *
 * <p>The circuit breaker is off here: these tests follow the fallback chain request by request,
 * and an open circuit would shorten it ({@link HealthTest} covers the breaker).
 */
class FallbackTest {
  @TempDir static Path dir;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir, 2, env -> """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: %s }
        providers:
          mock: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY} }
          flaky: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "status=503" } }
          dead: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY} }
        models:
          - id: mock/mock-model
            name: Mock Model
            context_length: 32768
            endpoints:
              - provider: mock
                model: mock-model
                pricing: { prompt: "0.000001", completion: "0.000002" }
              - provider: flaky
                model: mock-model
                pricing: { prompt: "0.0000005", completion: "0.000001" }
              - provider: dead
                model: mock-model
                pricing: { prompt: "0.0000001", completion: "0.0000002" }
          - id: mock/dead-model
            name: Dead Model
            context_length: 32768
            endpoints:
              - provider: dead
                model: dead-model
                pricing: { prompt: "0.0000001", completion: "0.0000002" }
        routing:
          health: { breaker_failures: 0 }
        """.formatted(env.storageUrl(), env.mockUrl(0), env.mockUrl(0), env.mockUrl(1)));
    gateway.mocks.get(1).close();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @BeforeEach
  void resetMock() {
    gateway.mock().resetStats();
  }

  @Test
  void cheaperFailingEndpointsFallBackToTheHealthyOne() {
    // Sorted by price, so the chain is deterministic: no load balancing, no health reordering.
    HttpResponse<String> response = gateway.chat(body(ChatCompletionsTest.PROMPT, "\"provider\":{\"sort\":\"price\"}"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode root = json(response.body());
    assertThat(root.path("provider").asText()).isEqualTo("mock");
    assertThat(root.path("choices").path(0).path("message").path("content").asText())
        .isEqualTo(ChatCompletionsTest.ANSWER);
    // Billed at the endpoint that served it, not at the cheaper ones that failed.
    assertThat(root.path("usage").path("cost").decimalValue()).isEqualByComparingTo(ChatCompletionsTest.COST);
    assertThat(gateway.mock().stats().requests()).as("flaky, then mock").isEqualTo(2);
    assertThat(gateway.mock().stats().lastHeaders()).doesNotContainKey("x-mock-fault");
    Map<String, Object> row = gateway.generationRow(root.path("id").asText());
    assertThat(row).containsEntry("provider", "mock").containsEntry("status", "success");
    assertThat(GatewayFixture.number(row, "attempts")).isEqualTo(3);
  }

  /**
   * Load balancing puts endpoints with recent failures last: once dead and flaky have failed, the
   * next request goes to mock first, whatever the random draw.
   */
  @Test
  void endpointsWithRecentFailuresAreTriedLast() {
    gateway.chat(body(ChatCompletionsTest.PROMPT, "\"provider\":{\"sort\":\"price\"}"));
    gateway.mock().resetStats();

    HttpResponse<String> response = gateway.chat(body(ChatCompletionsTest.PROMPT, ""));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(gateway.mock().stats().requests()).as("mock only, no 503 from flaky first").isEqualTo(1);
    Map<String, Object> row = gateway.generationRow(json(response.body()).path("id").asText());
    assertThat(row).containsEntry("provider", "mock");
    assertThat(GatewayFixture.number(row, "attempts")).isEqualTo(1);
  }

  @Test
  void streamedRequestFallsBackBeforeAnythingReachesTheClient() {
    HttpResponse<String> response = gateway.chat(body(ChatCompletionsTest.PROMPT, StreamingTest.STREAM));

    assertThat(response.statusCode()).isEqualTo(200);
    var chunks = sseData(response.body());
    assertThat(chunks).noneMatch(c -> c.has("error"));
    assertThat(chunks.getFirst().path("provider").asText()).isEqualTo("mock");
    assertThat(StreamingTest.content(chunks)).isEqualTo(ChatCompletionsTest.ANSWER);
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
  }

  @Test
  void providerOrderPutsTheNamedProviderFirst() {
    HttpResponse<String> response = gateway.chat(body(ChatCompletionsTest.PROMPT,
        "\"provider\":{\"order\":[\"mock\"]}"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(gateway.mock().stats().requests()).isEqualTo(1);
    Map<String, Object> row = gateway.generationRow(json(response.body()).path("id").asText());
    assertThat(GatewayFixture.number(row, "attempts")).isEqualTo(1);
  }

  @Test
  void metadataHeaderExplainsTheRoute() {
    HttpResponse<String> response = gateway.chatWithMetadata(
        body(ChatCompletionsTest.PROMPT, "\"provider\":{\"sort\":\"price\",\"ignore\":[\"nobody\"]}"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode root = json(response.body());
    assertThat(root.path("choices").path(0).path("message").path("content").asText())
        .isEqualTo(ChatCompletionsTest.ANSWER);
    JsonNode explained = root.path("switchboard_metadata");
    assertThat(explained.path("requested").asText()).isEqualTo("mock/mock-model");
    assertThat(explained.path("strategy").asText()).isEqualTo("sorted by price");
    assertThat(explained.path("candidates").findValuesAsText("provider")).containsExactly("dead", "flaky", "mock");
    assertThat(explained.path("attempts").findValuesAsText("outcome")).containsExactly("connect", "server", "success");
    assertThat(explained.path("attempts").path(1).path("status").asInt()).isEqualTo(503);
    assertThat(explained.path("attempts").path(2).path("latency_ms").isIntegralNumber()).isTrue();
    assertThat(explained.path("selected").path("provider").asText()).isEqualTo("mock");
    assertThat(explained.path("selected").path("reason").asText())
        .startsWith("fallback: position 3 of the plan (sorted by price) after 2 failed attempts");
    assertThat(json(gateway.chat(body(ChatCompletionsTest.PROMPT, "")).body()).has("switchboard_metadata"))
        .as("only when asked for").isFalse();
  }

  @Test
  void metadataNamesExcludedEndpointsAndComesAsACommentInStreams() {
    HttpResponse<String> response = gateway.chatWithMetadata(body(ChatCompletionsTest.PROMPT,
        StreamingTest.STREAM + ",\"provider\":{\"ignore\":[\"dead\",\"FLAKY\"]}"));

    assertThat(response.statusCode()).isEqualTo(200);
    String comment = response.body().lines().filter(l -> l.startsWith(": switchboard_metadata ")).findFirst()
        .orElseThrow(() -> new AssertionError("no metadata comment in " + response.body()));
    JsonNode explained = json(comment.substring(": switchboard_metadata ".length()));
    assertThat(explained.path("excluded").findValuesAsText("provider")).containsExactlyInAnyOrder("dead", "flaky");
    assertThat(explained.path("excluded").findValuesAsText("reason")).containsOnly("in provider.ignore");
    assertThat(explained.path("selected").path("reason").asText()).startsWith("first in the plan");
    assertThat(response.body().indexOf(comment)).as("before the closing frames")
        .isLessThan(response.body().indexOf("data: [DONE]"));
    assertThat(StreamingTest.content(sseData(response.body()))).isEqualTo(ChatCompletionsTest.ANSWER);
  }

  @Test
  void metadataAccompaniesAnErrorToo() {
    HttpResponse<String> response = gateway.chatWithMetadata("{\"model\":\"mock/dead-model\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(502);
    JsonNode root = json(response.body());
    assertThat(root.path("error").path("code").asInt()).isEqualTo(502);
    assertThat(root.path("switchboard_metadata").path("attempts").findValuesAsText("outcome")).containsExactly("connect");
    assertThat(root.path("switchboard_metadata").path("selected").isNull()).isTrue();
  }

  @Test
  void sdkReadsAnAnswerThatCarriesMetadata() {
    var completion = gateway.client("/api/v1").chat().completions().create(
        com.openai.models.chat.completions.ChatCompletionCreateParams.builder()
            .model(GatewayFixture.MODEL).addUserMessage(ChatCompletionsTest.PROMPT)
            .putAdditionalHeader("X-Switchboard-Metadata", "enabled").build());

    completion.validate();
    assertThat(completion.choices().getFirst().message().content()).hasValue(ChatCompletionsTest.ANSWER);
    assertThat(completion._additionalProperties()).containsKey("switchboard_metadata");
  }

  @Test
  void modelsListFallsBackToTheNextModel() {
    HttpResponse<String> response = gateway.chat("{\"models\":[\"mock/dead-model\",\"mock/mock-model\"],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + ChatCompletionsTest.PROMPT + "\"}]}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode root = json(response.body());
    assertThat(root.path("model").asText()).isEqualTo("mock/mock-model");
    assertThat(root.path("choices").path(0).path("message").path("content").asText())
        .isEqualTo(ChatCompletionsTest.ANSWER);
    assertThat(gateway.generationRow(root.path("id").asText())).containsEntry("model", "mock/mock-model");
  }

  @Test
  void modelPlusModelsFallbackWorksToo() {
    HttpResponse<String> response = gateway.chat("{\"model\":\"mock/dead-model\",\"models\":[\"mock/mock-model\"],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response.body()).path("model").asText()).isEqualTo("mock/mock-model");
  }

  @Test
  void whenEveryEndpointFailsTheLastErrorIsReported() {
    HttpResponse<String> response = gateway.chat("{\"model\":\"mock/dead-model\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
    JsonNode error = json(response.body()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(502);
    assertThat(error.path("metadata").path("provider_name").asText()).isEqualTo("dead");
    assertThat(error.path("message").asText()).contains("dead");
  }
}
