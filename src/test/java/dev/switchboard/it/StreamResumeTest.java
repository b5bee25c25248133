package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.json;
import static dev.switchboard.it.GatewayFixture.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.completions.CompletionUsage;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Stream resume end to end. Two providers serve {@code mock/mock-model} from the same mock: {@code
 * broken} (cheaper, so first under {@code sort: price}) whose configured {@code x-mock-fault}
 * header breaks every stream after three frames, and {@code good}. The mock answers a conversation
 * that ends in an assistant message with only the rest of its answer, as a model continuing a
 * prefill would, so the client's text is the whole answer exactly when the continuation request
 * carried the prefix.
 */
class StreamResumeTest {
  static final String SORTED = "\"provider\":{\"sort\":\"price\"}";
  static final BigDecimal GOOD_PROMPT = new BigDecimal("0.000001");
  static final BigDecimal GOOD_COMPLETION = new BigDecimal("0.000002");

  @TempDir static Path dir;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir, 1, env -> """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: %s }
        providers:
          good: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY} }
          broken: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "reset-after=3" } }
          truncated: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "truncate-after=3" } }
          erroring: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "error-after=3" } }
          stalled: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "stall-after=3" }, timeouts: { idle: 300ms } }
          claude-broken: { kind: anthropic, base_url: %s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "reset-after=4" } }
          claude: { kind: anthropic, base_url: %s, api_key: ${MOCK_KEY} }
          openai: { kind: openai, base_url: %s, api_key: ${MOCK_KEY} }
        models:
          - id: mock/mock-model
            name: Mock Model
            context_length: 32768
            endpoints:
              - { provider: good, model: mock-model, pricing: { prompt: "0.000001", completion: "0.000002" } }
              - { provider: broken, model: mock-model, pricing: { prompt: "0.0000001", completion: "0.0000002" } }
              - { provider: truncated, model: mock-model, pricing: { prompt: "0.0000001", completion: "0.0000002" } }
              - { provider: erroring, model: mock-model, pricing: { prompt: "0.0000001", completion: "0.0000002" } }
              - { provider: stalled, model: mock-model, pricing: { prompt: "0.0000001", completion: "0.0000002" } }
              - { provider: openai, model: mock-model, pricing: { prompt: "0.000001", completion: "0.000002" } }
          - id: anthropic/claude-mock
            name: Claude Mock
            context_length: 200000
            endpoints:
              - { provider: claude-broken, model: claude-mock-1, pricing: { prompt: "0.0000001", completion: "0.0000002" } }
              - { provider: claude, model: claude-mock-1, pricing: { prompt: "0.000001", completion: "0.000002" } }
        routing:
          health: { breaker_failures: 0, max_retry_after: 0s }
        presets:
          broken-first: { model: mock/mock-model, provider: { order: [broken, good], only: [broken, good] } }
        """.formatted(env.storageUrl(), env.mockUrl(0), env.mockUrl(0), env.mockUrl(0), env.mockUrl(0),
        env.mockUrl(0), env.mocks().getFirst().rootUrl(), env.mocks().getFirst().rootUrl(), env.mockUrl(0)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @BeforeEach
  void resetMock() {
    gateway.mock().resetStats();
  }

  /** Only {@code faulty} and {@code good}, faulty first. */
  static String via(String faulty, String extra) {
    return "\"provider\":{\"order\":[\"" + faulty + "\",\"good\"],\"only\":[\"" + faulty + "\",\"good\"]" + extra + "}";
  }

  static String streamed(String provider) {
    return body(ChatCompletionsTest.PROMPT, StreamingTest.STREAM + "," + provider);
  }

  @ParameterizedTest
  @ValueSource(strings = {"broken", "truncated", "erroring", "stalled"})
  void aBrokenStreamContinuesOnTheNextEndpointAsOneStream(String faulty) {
    HttpResponse<String> response = gateway.chat(streamed(via(faulty, "")));

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> chunks = sseData(response.body());
    assertThat(chunks).as(response.body()).noneMatch(c -> c.has("error"));
    // Prefix from the first endpoint + continuation from the second = the whole answer, once.
    assertThat(StreamingTest.content(chunks)).isEqualTo(ChatCompletionsTest.ANSWER);
    JsonNode first = chunks.getFirst();
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.path("id").asText()).isEqualTo(first.path("id").asText());
      assertThat(c.path("created").asLong()).isEqualTo(first.path("created").asLong());
      assertThat(c.path("model").asText()).isEqualTo(first.path("model").asText());
    });
    assertThat(chunks.stream().flatMap(c -> stream(c.path("choices")))
        .filter(ch -> ch.path("delta").has("role"))).as("one role announcement").hasSize(1);
    assertThat(chunks.stream().flatMap(c -> stream(c.path("choices")))
        .map(ch -> ch.path("finish_reason")).filter(f -> !f.isNull() && !f.isMissingNode()))
        .extracting(JsonNode::asText).containsExactly("stop");
    assertThat(response.body()).endsWith("data: [DONE]\n\n");

    // The continuation request carried the text so far as a trailing assistant message.
    JsonNode continuation = gateway.mock().stats().lastRequest();
    JsonNode messages = continuation.path("messages");
    assertThat(messages).hasSize(2);
    assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
    String prefix = messages.get(1).path("content").asText();
    assertThat(prefix).isNotEmpty().isEqualTo(prefix.strip());
    assertThat(ChatCompletionsTest.ANSWER).startsWith(prefix).isNotEqualTo(prefix);
    assertThat(gateway.mock().stats().requests()).isEqualTo(2);
  }

  @Test
  void anAnthropicContinuationIsANativePrefill() {
    String body = "{\"model\":\"anthropic/claude-mock\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + ChatCompletionsTest.PROMPT + "\"}]," + StreamingTest.STREAM + ",\"provider\":{\"sort\":\"price\"}}";
    HttpResponse<String> response = gateway.chat(body);

    List<JsonNode> chunks = sseData(response.body());
    assertThat(chunks).as(response.body()).noneMatch(c -> c.has("error"));
    assertThat(StreamingTest.content(chunks)).isEqualTo(ChatCompletionsTest.ANSWER);
    JsonNode continuation = gateway.mock().stats().lastRequest();
    assertThat(gateway.mock().stats().lastUri()).endsWith("/v1/messages");
    JsonNode prefill = continuation.path("messages").get(1);
    assertThat(prefill.path("role").asText()).isEqualTo("assistant");
    String prefix = prefill.path("content").isTextual() ? prefill.path("content").asText()
        : prefill.path("content").path(0).path("text").asText();
    assertThat(prefix).isNotEmpty().doesNotEndWith(" ");
    assertThat(ChatCompletionsTest.ANSWER).startsWith(prefix).isNotEqualTo(prefix);
  }

  @Test
  void anAnthropicClientSeesOneMessage() {
    // Anthropic's Messages format has no provider object: the routing comes from a preset.
    String body = "{\"model\":\"@preset/broken-first\",\"max_tokens\":100,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + ChatCompletionsTest.PROMPT + "\"}]}";
    HttpResponse<String> response = gateway.post("/api/v1/messages", body, gateway.key);

    assertThat(response.statusCode()).isEqualTo(200);
    List<String> events = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    String event = null;
    for (String line : response.body().split("\n")) {
      if (line.startsWith("event: ")) {
        event = line.substring("event: ".length());
        events.add(event);
      } else if (line.startsWith("data: ") && "content_block_delta".equals(event)) {
        text.append(json(line.substring("data: ".length())).path("delta").path("text").asText(""));
      }
    }
    assertThat(text).as(response.body() + gateway.mock().stats()).hasToString(ChatCompletionsTest.ANSWER);
    assertThat(events).filteredOn("message_start"::equals).hasSize(1);
    assertThat(events).filteredOn("message_stop"::equals).hasSize(1);
    assertThat(events).doesNotContain("error");
    assertThat(gateway.mock().stats().requests()).as(response.body() + gateway.mock().stats()).isEqualTo(2);
  }

  @Test
  void usageAndCostAreTheSumOfBothAttempts() {
    HttpResponse<String> response = gateway.chatWithMetadata(streamed(via("broken", "")));

    List<JsonNode> chunks = sseData(response.body());
    JsonNode usage = chunks.getLast().path("usage");
    String prefix = gateway.mock().stats().lastRequest().path("messages").get(1).path("content").asText();
    JsonNode explanation = explanation(response.body());
    JsonNode attempts = explanation.path("attempts");
    assertThat(attempts).extracting(a -> a.path("provider").asText() + ":" + a.path("outcome").asText())
        .containsExactly("broken:reset", "good:resumed");
    JsonNode broken = attempts.get(0);
    assertThat(broken.path("broke_mid_stream").asBoolean()).isTrue();
    // The first endpoint reported no usage before it broke: an estimate, flagged as such.
    assertThat(broken.path("usage").path("estimated").asBoolean()).isTrue();
    long brokenPrompt = broken.path("usage").path("prompt_tokens").asLong();
    long brokenCompletion = broken.path("usage").path("completion_tokens").asLong();
    assertThat(brokenPrompt).isPositive();
    assertThat(brokenCompletion).isPositive();
    // The mock's own counts for the continuation: characters of the turns / 4, words of its answer.
    long goodPrompt = (ChatCompletionsTest.PROMPT.length() + prefix.length()) / 4;
    long goodCompletion = words(ChatCompletionsTest.ANSWER.substring(prefix.length()));
    assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(brokenPrompt + goodPrompt);
    assertThat(usage.path("completion_tokens").asLong()).isEqualTo(brokenCompletion + goodCompletion);
    BigDecimal goodCost = GOOD_PROMPT.multiply(BigDecimal.valueOf(goodPrompt))
        .add(GOOD_COMPLETION.multiply(BigDecimal.valueOf(goodCompletion)));
    BigDecimal expected = broken.path("cost").decimalValue().add(goodCost);
    assertThat(usage.path("cost").decimalValue()).isEqualByComparingTo(expected);
    assertThat(explanation.path("selected").path("reason").asText()).contains("resumed").contains("broken");

    Map<String, Object> row = gateway.generationRow(chunks.getFirst().path("id").asText());
    assertThat(row).containsEntry("provider", "good").containsEntry("status", "success");
    assertThat(GatewayFixture.number(row, "attempts")).isEqualTo(2);
    assertThat(GatewayFixture.number(row, "prompt_tokens")).isEqualTo(brokenPrompt + goodPrompt);
    assertThat(GatewayFixture.number(row, "completion_tokens")).isEqualTo(brokenCompletion + goodCompletion);
    assertThat(GatewayFixture.number(row, "usage_estimated")).as("one part was estimated").isEqualTo(1);
  }

  @Test
  void resumeSwitchedOffPerRequestEndsWithTheTypedErrorAsBefore() {
    HttpResponse<String> response = gateway.chat(streamed(via("broken", ",\"stream_resume\":false")));

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> chunks = sseData(response.body());
    JsonNode last = chunks.getLast();
    assertThat(last.path("error").path("code").asInt()).isEqualTo(502);
    assertThat(last.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
    assertThat(gateway.mock().stats().requests()).as("no continuation was asked for").isEqualTo(1);
  }

  @Test
  void withoutAnotherEndpointTheStreamEndsWithTheTypedError() {
    HttpResponse<String> response = gateway.chat(streamed("\"provider\":{\"only\":[\"broken\"]}"));

    List<JsonNode> chunks = sseData(response.body());
    assertThat(chunks.getLast().path("error").path("code").asInt()).isEqualTo(502);
    assertThat(ChatCompletionsTest.ANSWER).startsWith(StreamingTest.content(chunks));
    assertThat(gateway.mock().stats().requests()).isEqualTo(1);
  }

  @Test
  void anEndpointThatCannotContinueIsNotAskedTo() {
    // OpenAI's own API answers a trailing assistant message with a new turn: no CONTINUATION.
    HttpResponse<String> response = gateway.chat(streamed(
        "\"provider\":{\"order\":[\"broken\",\"openai\"],\"only\":[\"broken\",\"openai\"]}"));

    List<JsonNode> chunks = sseData(response.body());
    assertThat(chunks.getLast().path("error").path("code").asInt()).isEqualTo(502);
    assertThat(gateway.mock().stats().requests()).isEqualTo(1);
  }

  @Test
  void aNonBooleanSwitchIsA400() {
    HttpResponse<String> response = gateway.chat(streamed(via("broken", ",\"stream_resume\":\"no\"")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).path("error").path("message").asText()).contains("provider.stream_resume");
  }

  @Test
  void aStreamThatAlreadySentToolCallsIsNotResumed() {
    String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";
    HttpResponse<String> response = gateway.chat(
        body(ChatCompletionsTest.PROMPT, StreamingTest.STREAM + "," + via("broken", "") + tools));

    List<JsonNode> chunks = sseData(response.body());
    assertThat(chunks).anyMatch(c -> c.path("choices").path(0).path("delta").has("tool_calls"));
    assertThat(chunks.getLast().path("error").path("code").asInt()).isEqualTo(502);
    assertThat(gateway.mock().stats().requests()).isEqualTo(1);
  }

  @Test
  void theOpenAiSdkReadsAResumedStreamAsOne() {
    OpenAIClient client = gateway.client("/api/v1");
    var params = StreamingTest.streamParams(ChatCompletionsTest.PROMPT).toBuilder()
        .putAdditionalBodyProperty("provider", com.openai.core.JsonValue.from(Map.of(
            "order", List.of("broken", "good"), "only", List.of("broken", "good"))))
        .build();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }

    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
    assertThat(text).hasToString(ChatCompletionsTest.ANSWER);
    assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly(chunks.getFirst().id());
    assertThat(chunks.stream().flatMap(c -> c.choices().stream()).flatMap(ch -> ch.finishReason().stream()))
        .containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
    CompletionUsage usage = chunks.getLast().usage().orElseThrow();
    assertThat(usage.completionTokens()).isGreaterThan(0);
    assertThat(gateway.mock().stats().requests()).isEqualTo(2);
  }

  @Test
  void resumesAreCounted() {
    gateway.chat(streamed(via("broken", "")));

    String metrics = gateway.get("/metrics", null).body();
    assertThat(metrics).containsPattern(
        "switchboard_stream_resumes_total\\{model=\"mock/mock-model\",provider=\"broken\"} [1-9]");
  }

  static JsonNode explanation(String sse) {
    for (String line : sse.split("\n")) {
      if (line.startsWith(": switchboard_metadata ")) {
        return json(line.substring(": switchboard_metadata ".length()));
      }
    }
    throw new AssertionError("no explanation in " + sse);
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> nodes = new ArrayList<>();
    array.forEach(nodes::add);
    return nodes.stream();
  }

  private static int words(String text) {
    String trimmed = text.strip();
    return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
  }
}
