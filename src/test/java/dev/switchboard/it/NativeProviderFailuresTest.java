package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.json;
import static dev.switchboard.it.GatewayFixture.sseData;
import static dev.switchboard.it.NativeProvidersTest.AZURE;
import static dev.switchboard.it.NativeProvidersTest.CLAUDE;
import static dev.switchboard.it.NativeProvidersTest.GEMINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failures and reasoning through the native adapters, on {@link NativeProvidersTest}'s config:
 * provider errors in each provider's own envelope reach the client as OpenRouter's, a 429 falls
 * back or reaches the client with its wait, a stream that fails mid-way ends with an error chunk,
 * and OpenRouter's {@code reasoning} object becomes each provider's thinking and comes back as
 * {@code reasoning}.
 */
class NativeProviderFailuresTest {
  static final String STREAM = StreamingTest.STREAM;

  @TempDir static Path dir;
  static GatewayFixture gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    gateway = NativeProvidersTest.startNative(dir);
    client = gateway.client("/api/v1");
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
  @ValueSource(strings = {CLAUDE, GEMINI, AZURE})
  void rateLimitReachesTheClientWithItsWait(String model) {
    for (String extra : List.of("", STREAM)) {
      HttpResponse<String> response = gateway.chat(GatewayFixture.body(model, "Busy? #mock:status=429", extra));

      JsonNode error = ErrorStatusTest.error(response, 429);
      // Anthropic and Azure say retry-after: 1; Gemini says RetryInfo.retryDelay "1s" in the body.
      assertThat(response.headers().firstValue("retry-after")).as(model).hasValue("1");
      assertThat(error.path("metadata").path("provider_name").asText()).isNotBlank();
    }
    assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(model).addUserMessage("Busy? #mock:status=429").build()))
        .isInstanceOf(RateLimitException.class);
  }

  @Test
  void anthropicRateLimitFallsBackToTheNextEndpoint() {
    for (String extra : List.of("", STREAM)) {
      // sort by price: the cheaper, failing endpoint first, every time (the default order is a weighted draw)
      String sorted = "\"provider\":{\"sort\":\"price\"}" + (extra.isEmpty() ? "" : "," + extra);
      HttpResponse<String> response = gateway.chat(GatewayFixture.body("anthropic/claude-busy", ChatCompletionsTest.PROMPT, sorted));

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode first = extra.isEmpty() ? json(response.body()) : sseData(response.body()).getFirst();
      assertThat(first.path("provider").asText()).isEqualTo("backup");
      String text = extra.isEmpty()
          ? first.path("choices").path(0).path("message").path("content").asText()
          : StreamingTest.content(sseData(response.body()));
      assertThat(text).isEqualTo(ChatCompletionsTest.ANSWER);
      assertThat(GatewayFixture.number(gateway.generationRow(first.path("id").asText()), "attempts")).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {CLAUDE, GEMINI})
  void overloadedAndServerErrorsAre502WithTheProviderMessage(String model) {
    for (int status : new int[] {500, 503, 529}) {
      HttpResponse<String> response = gateway.chat(GatewayFixture.body(model, "Break #mock:status=" + status, ""));

      JsonNode error = ErrorStatusTest.error(response, 502);
      assertThat(error.path("metadata").path("raw").toString()).contains("Mock upstream fault: HTTP " + status);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {CLAUDE, GEMINI, AZURE})
  void midStreamErrorEndsTheStreamWithAnErrorChunk(String model) {
    HttpResponse<String> response = gateway.chat(GatewayFixture.body(model, "Fail halfway please #mock:error-after=4", STREAM));

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> chunks = sseData(response.body());
    JsonNode last = chunks.getLast();
    assertThat(last.path("error").path("code").asInt()).as("error chunk %s", last).isBetween(500, 599);
    assertThat(last.path("error").path("message").asText()).isNotBlank();
    assertThat(last.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
    assertThat(chunks.subList(0, chunks.size() - 1)).noneMatch(c -> c.has("error"));
    assertThat(StreamingTest.content(chunks)).as("text before the error").isNotEmpty();
    assertThat(response.body()).doesNotContain("[DONE]");
    assertThat(gateway.generationRow(last.path("id").asText())).containsEntry("status", "error");
  }

  @ParameterizedTest
  @ValueSource(strings = {CLAUDE, GEMINI})
  void brokenStreamsEndWithAnErrorChunk(String model) {
    for (String fault : List.of("#mock:malformed", "#mock:reset-after=3")) {
      HttpResponse<String> response = gateway.chat(GatewayFixture.body(model, "Break the stream " + fault, STREAM));

      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode last = sseData(response.body()).getLast();
      assertThat(last.path("error").path("code").asInt()).as("%s: %s", fault, last).isBetween(400, 599);
      assertThat(last.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {CLAUDE, GEMINI})
  void usageLeftOutByTheProviderIsEstimated(String model) {
    for (String extra : List.of("", STREAM)) {
      HttpResponse<String> response = gateway.chat(GatewayFixture.body(model, ChatCompletionsTest.PROMPT + " #mock:no-usage", extra));

      JsonNode last = extra.isEmpty() ? json(response.body()) : sseData(response.body()).getLast();
      assertThat(last.path("usage").path("completion_tokens").asInt()).as("%s", last).isPositive();
      assertThat(GatewayFixture.number(gateway.generationRow(last.path("id").asText()), "usage_estimated"))
          .isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {CLAUDE, GEMINI})
  void reasoningObjectBecomesThinkingAndStreamsAsReasoningDeltas(String model) {
    StringBuilder reasoning = new StringBuilder();
    StringBuilder content = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model(model).addUserMessage("Think first")
            .putAdditionalBodyProperty("reasoning", JsonValue.from(Map.of("effort", "high"))).build())) {
      stream.stream().flatMap(c -> c.choices().stream()).forEach(choice -> {
        choice.delta().content().ifPresent(content::append);
        JsonValue piece = choice.delta()._additionalProperties().get("reasoning");
        if (piece != null) {
          reasoning.append(piece.asString().orElseThrow());
        }
      });
    }

    assertThat(reasoning).hasToString("Mock reasoning about: Think first");
    assertThat(content).hasToString("Mock answer to: Think first");
    JsonNode upstream = gateway.mock().stats().lastRequest();
    if (model.equals(CLAUDE)) {
      // effort high is 80% of max_tokens (the default 4096).
      assertThat(upstream.path("thinking")).isEqualTo(json("{\"type\":\"enabled\",\"budget_tokens\":3276}"));
    } else {
      assertThat(upstream.path("generationConfig").path("thinkingConfig"))
          .isEqualTo(json("{\"thinkingBudget\":24576,\"includeThoughts\":true}"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {CLAUDE, GEMINI})
  void reasoningComesBackOnTheMessageWithItsTokensCounted(String model) {
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(model).addUserMessage("Think first")
        .putAdditionalBodyProperty("reasoning", JsonValue.from(Map.of("max_tokens", 2048)))
        .build());

    var message = completion.choices().getFirst().message();
    assertThat(message._additionalProperties().get("reasoning").asString())
        .hasValue("Mock reasoning about: Think first");
    assertThat(message.content()).hasValue("Mock answer to: Think first");
    // 5 words of answer + 5 of reasoning: OpenAI counts reasoning as completion.
    var usage = completion.usage().orElseThrow();
    assertThat(usage.completionTokens()).isEqualTo(10);
    if (model.equals(GEMINI)) {
      // Gemini reports thoughtsTokenCount apart; Anthropic folds thinking into output_tokens.
      assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens()).hasValue(5L);
    }
  }

  @Test
  void toolLoopWithReasoningStillWorksOnAnthropic() {
    var params = NativeProvidersTest.withTools(CLAUDE)
        .putAdditionalBodyProperty("reasoning", JsonValue.from(Map.of("effort", "low")));
    ChatCompletion first = client.chat().completions().create(params.build());
    var message = first.choices().getFirst().message();
    var calls = message.toolCalls().orElseThrow().stream().map(c -> c.asFunction()).toList();

    // The client keeps no signed thinking block (OpenAI's shape has none), so the adapter must
    // turn thinking off for the tool-result turn: Anthropic (and the mock) reject it otherwise.
    ChatCompletion second = client.chat().completions().create(params
        .addMessage(message)
        .addMessage(ToolsTest.toolResult(calls.get(0).id(), "18 C"))
        .addMessage(ToolsTest.toolResult(calls.get(1).id(), "14:05"))
        .build());

    assertThat(second.choices().getFirst().message().content()).hasValue("Tool result received: 14:05");
    assertThat(gateway.mock().stats().lastRequest().has("thinking")).isFalse();
  }
}
