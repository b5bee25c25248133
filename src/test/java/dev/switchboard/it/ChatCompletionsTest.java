package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Non-streamed chat through the official OpenAI SDK and raw HTTP: content, ids, usage, cost, storage. */
class ChatCompletionsTest {
  /** 33 characters: the mock counts 33 / 4 = 8 prompt tokens. */
  static final String PROMPT = "Say hello to the integration test";
  static final String ANSWER = "Mock answer to: " + PROMPT;
  /** The mock's completion tokens are the answer's words. */
  static final int PROMPT_TOKENS = 8;
  static final int COMPLETION_TOKENS = 9;
  /** 8 × 0.000001 + 9 × 0.000002, from the contract prices. */
  static final BigDecimal COST = new BigDecimal("0.000026");

  @TempDir static Path dir;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @BeforeEach
  void resetMock() {
    gateway.mock().resetStats();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1", "/v1"})
  void sdkCompletesThroughEitherPrefix(String prefix) {
    OpenAIClient client = gateway.client(prefix);

    HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse()
        .create(ChatCompletionCreateParams.builder().model(GatewayFixture.MODEL).addUserMessage(PROMPT).build());
    ChatCompletion completion = raw.parse();

    assertThat(completion.choices()).hasSize(1);
    assertThat(completion.choices().getFirst().message().content()).hasValue(ANSWER);
    assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.id()).startsWith("gen-");
    assertThat(completion.model()).isEqualTo(GatewayFixture.MODEL);
    assertThat(raw.headers().values("x-generation-id")).containsExactly(completion.id());
    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(PROMPT_TOKENS);
    assertThat(usage.completionTokens()).isEqualTo(COMPLETION_TOKENS);
    assertThat(usage.totalTokens()).isEqualTo(PROMPT_TOKENS + COMPLETION_TOKENS);
    JsonValue cost = usage._additionalProperties().get("cost");
    assertThat(cost).as("usage.cost").isNotNull();
    assertThat(new BigDecimal(cost.asNumber().orElseThrow().toString())).isEqualByComparingTo(COST);
    assertThat(gateway.mock().stats().lastRequest().path("model").asText())
        .as("the endpoint's provider model id goes upstream").isEqualTo("mock-model");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1", "/v1"})
  void rawResponseHasExactCostAndGenerationIdHeader(String prefix) {
    HttpResponse<String> response = gateway.post(prefix + "/chat/completions", body(PROMPT, ""), gateway.key);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    JsonNode root = json(response.body());
    String id = root.path("id").asText();
    assertThat(id).startsWith("gen-");
    assertThat(response.headers().firstValue("x-generation-id")).hasValue(id);
    assertThat(root.path("object").asText()).isEqualTo("chat.completion");
    assertThat(root.path("provider").asText()).isEqualTo("mock");
    assertThat(root.path("choices").path(0).path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(root.path("choices").path(0).path("message").path("content").asText()).isEqualTo(ANSWER);
    JsonNode usage = root.path("usage");
    assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(COMPLETION_TOKENS);
    assertThat(usage.path("cost").isNumber()).as("cost is a JSON number: %s", usage).isTrue();
    assertThat(usage.path("cost").decimalValue()).isEqualByComparingTo(COST);
  }

  @Test
  void generationIsDurableWhenTheResponseArrives() {
    HttpResponse<String> response = gateway.chat(body(PROMPT, ""));
    String id = json(response.body()).path("id").asText();

    // No polling: the row must already be committed when the client has its answer.
    Map<String, Object> row = gateway.generationRow(id);

    assertThat(row).as("generation row for %s", id).isNotEmpty();
    assertThat(row.get("status")).isEqualTo("success");
    assertThat(row.get("model")).isEqualTo(GatewayFixture.MODEL);
    assertThat(row.get("provider")).isEqualTo("mock");
    assertThat(row.get("provider_model")).isEqualTo("mock-model");
    assertThat(((Number) row.get("prompt_tokens")).longValue()).isEqualTo(PROMPT_TOKENS);
    assertThat(((Number) row.get("completion_tokens")).longValue()).isEqualTo(COMPLETION_TOKENS);
    assertThat(((Number) row.get("cost_nanos")).longValue()).isEqualTo(26_000L);
    assertThat(((Number) row.get("streamed")).intValue()).isZero();
    assertThat(row.get("finish_reason")).isEqualTo("stop");
    assertThat(row.get("upstream_id").toString()).startsWith("chatcmpl-mock-");
  }

  @Test
  void unknownFieldsReachTheUpstreamVerbatimButRoutingFieldsDoNot() {
    String extra = "\"frequency_penalty\":0.5,\"foo_custom\":{\"a\":1,\"b\":[true,null,\"x\"]},"
        + "\"provider\":{\"sort\":\"price\"},\"models\":[\"mock/mock-model\"],\"route\":\"fallback\"";

    HttpResponse<String> response = gateway.chat(body(PROMPT, extra));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode upstream = gateway.mock().stats().lastRequest();
    assertThat(upstream).isNotNull();
    assertThat(upstream.path("frequency_penalty").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(upstream.path("foo_custom")).isEqualTo(json("{\"a\":1,\"b\":[true,null,\"x\"]}"));
    assertThat(upstream.has("provider")).as("provider forwarded: %s", upstream).isFalse();
    assertThat(upstream.has("models")).as("models forwarded: %s", upstream).isFalse();
    assertThat(upstream.has("route")).as("route forwarded: %s", upstream).isFalse();
    assertThat(gateway.mock().stats().lastHeaders().get("authorization"))
        .isEqualTo("Bearer " + GatewayFixture.MOCK_KEY);
  }

  @Test
  void jsonSchemaResponseFormatReturnsParseableJson() {
    String format = """
        "response_format":{"type":"json_schema","json_schema":{"name":"weather","strict":true,
        "schema":{"type":"object","properties":{"city":{"type":"string"},"celsius":{"type":"number"},
        "sunny":{"type":"boolean"}},"required":["city","celsius","sunny"]}}}""";

    HttpResponse<String> response = gateway.chat(body("Weather in Paris as JSON", format));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String content = json(response.body()).path("choices").path(0).path("message").path("content").asText();
    JsonNode parsed = json(content);
    assertThat(parsed.path("city").asText()).isEqualTo("mock");
    assertThat(parsed.path("celsius").isNumber()).isTrue();
    assertThat(parsed.path("sunny").asBoolean()).isTrue();
    assertThat(gateway.mock().stats().lastRequest().path("response_format").path("type").asText())
        .isEqualTo("json_schema");
  }

  @Test
  void concurrentRequestsAllSucceedWithTheirOwnRecords() throws Exception {
    int count = 24;
    List<Future<HttpResponse<String>>> responses = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        String extra = i % 2 == 0 ? "" : StreamingTest.STREAM;
        String prompt = "Request number " + i;
        responses.add(threads.submit(() -> gateway.chat(body(prompt, extra))));
      }
    }

    Set<String> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      HttpResponse<String> response = responses.get(i).get();
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode first = i % 2 == 0 ? json(response.body()) : GatewayFixture.sseData(response.body()).getFirst();
      String text = i % 2 == 0
          ? first.path("choices").path(0).path("message").path("content").asText()
          : StreamingTest.content(GatewayFixture.sseData(response.body()));
      assertThat(text).isEqualTo("Mock answer to: Request number " + i);
      ids.add(first.path("id").asText());
      assertThat(gateway.generationRow(first.path("id").asText())).containsEntry("status", "success");
    }
    assertThat(ids).hasSize(count);
    assertThat(gateway.mock().stats().requests()).isEqualTo(count);
    assertThat(gateway.mock().stats().streamsCancelled()).isZero();
    assertThat(gateway.mock().stats().requestsAbandoned()).isZero();
  }

  @Test
  void healthEndpointsAnswer200() {
    HttpResponse<String> live = gateway.get("/health/live", null);
    HttpResponse<String> ready = gateway.get("/health/ready", null);

    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(live.body()).path("status").asText()).isEqualTo("ok");
  }
}
