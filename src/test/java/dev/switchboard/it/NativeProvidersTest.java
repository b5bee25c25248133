package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway in front of the native adapters ({@code anthropic}, {@code gemini}, {@code
 * azure-openai}), each pointed at the mock's route for that provider's own wire format, used
 * through the official OpenAI SDK: what the client sees is OpenAI's shape, what reached the
 * upstream is the provider's. Failures and reasoning are in {@link NativeProviderFailuresTest}.
 */
class NativeProvidersTest {
  static final String CLAUDE = "anthropic/claude-mock";
  static final String GEMINI = "google/gemini-mock";
  static final String AZURE = "azure/gpt-mock";

  @TempDir static Path dir;
  static GatewayFixture gateway;
  static OpenAIClient client;

  /**
   * One mock, five providers on it: {@code claude} (anthropic), {@code google} (gemini), {@code
   * azure} (azure-openai), and for fallback {@code busy-claude} (anthropic, every answer a 429 by
   * the configured fault header, cheapest) before {@code backup} (openai-compatible).
   */
  static GatewayFixture startNative(Path dir) {
    return GatewayFixture.start(dir, 1, env -> """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: %1$s }
        # Each test forces its own faults; endpoint health carried from one test to the next
        # (an open breaker, a Retry-After pause) would make them depend on their order.
        routing: { health: { breaker_failures: 0, max_retry_after: 0s } }
        providers:
          claude: { kind: anthropic, base_url: %2$s, api_key: ${MOCK_KEY} }
          google: { kind: gemini, base_url: %2$s/v1beta, api_key: ${MOCK_KEY} }
          azure: { kind: azure-openai, base_url: %2$s, api_key: ${MOCK_KEY}, api_version: 2024-10-21 }
          busy-claude: { kind: anthropic, base_url: %2$s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "status=429" } }
          backup: { kind: openai-compatible, base_url: %2$s/v1, api_key: ${MOCK_KEY} }
        models:
          - { id: %3$s, name: Claude Mock, context_length: 200000, endpoints: [
              { provider: claude, model: claude-mock-1, pricing: { prompt: "0.000001", completion: "0.000002" } } ] }
          - { id: %4$s, name: Gemini Mock, context_length: 1000000, endpoints: [
              { provider: google, model: gemini-mock-flash, pricing: { prompt: "0.000001", completion: "0.000002" } } ] }
          - { id: %5$s, name: Azure Mock, context_length: 128000, endpoints: [
              { provider: azure, model: gpt-mock-deployment, pricing: { prompt: "0.000001", completion: "0.000002" } } ] }
          - { id: anthropic/claude-busy, name: Busy Claude, context_length: 200000, endpoints: [
              { provider: busy-claude, model: claude-mock-1, pricing: { prompt: "0.0000005", completion: "0.000001" } },
              { provider: backup, model: mock-model, pricing: { prompt: "0.000001", completion: "0.000002" } } ] }
        """.formatted(env.storageUrl(), env.mocks().getFirst().rootUrl(), CLAUDE, GEMINI, AZURE));
  }

  @BeforeAll
  static void start() {
    gateway = startNative(dir);
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
  void jsonChatHasTheAnswerUsageAndExactCost(String model) {
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(model).addSystemMessage("Be brief.").addUserMessage(ChatCompletionsTest.PROMPT).build());

    assertThat(completion.choices().getFirst().message().content()).hasValue(ChatCompletionsTest.ANSWER);
    assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.model()).isEqualTo(model);
    CompletionUsage usage = completion.usage().orElseThrow();
    // The mock counts the system prompt too: (9 + 33) / 4 = 10 prompt tokens; 9 answer words.
    assertThat(usage.promptTokens()).isEqualTo(10);
    assertThat(usage.completionTokens()).isEqualTo(ChatCompletionsTest.COMPLETION_TOKENS);
    assertThat(cost(usage)).isEqualByComparingTo("0.000028");
    var row = gateway.generationRow(completion.id());
    assertThat(row).containsEntry("status", "success").containsEntry("model", model);
    assertThat(GatewayFixture.number(row, "cost_nanos")).isEqualTo(28_000);
  }

  @Test
  void anthropicGetsItsNativeRequest() {
    client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(CLAUDE).addSystemMessage("Be brief.").addUserMessage(ChatCompletionsTest.PROMPT).build());

    var stats = gateway.mock().stats();
    assertThat(stats.lastUri()).isEqualTo("/v1/messages");
    assertThat(stats.lastHeaders()).containsEntry("x-api-key", GatewayFixture.MOCK_KEY)
        .containsEntry("anthropic-version", "2023-06-01").doesNotContainKey("authorization");
    JsonNode body = stats.lastRequest();
    assertThat(body.path("model").asText()).isEqualTo("claude-mock-1");
    assertThat(body.path("max_tokens").asInt()).as("max_tokens is required by Anthropic").isEqualTo(4096);
    assertThat(body.path("system").toString()).contains("Be brief.");
    assertThat(body.path("messages")).hasSize(1);
    assertThat(body.path("messages").path(0).path("role").asText()).isEqualTo("user");
  }

  @Test
  void geminiGetsItsNativeRequest() {
    client.chat().completions().create(ChatCompletionCreateParams.builder().model(GEMINI)
        .addSystemMessage("Be brief.").addUserMessage(ChatCompletionsTest.PROMPT).maxCompletionTokens(100).build());

    var stats = gateway.mock().stats();
    assertThat(stats.lastUri()).isEqualTo("/v1beta/models/gemini-mock-flash:generateContent");
    assertThat(stats.lastHeaders()).containsEntry("x-goog-api-key", GatewayFixture.MOCK_KEY)
        .doesNotContainKey("authorization");
    JsonNode body = stats.lastRequest();
    assertThat(body.path("systemInstruction").path("parts").path(0).path("text").asText()).isEqualTo("Be brief.");
    assertThat(body.path("contents").path(0).path("role").asText()).isEqualTo("user");
    assertThat(body.path("contents").path(0).path("parts").path(0).path("text").asText())
        .isEqualTo(ChatCompletionsTest.PROMPT);
    assertThat(body.path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(100);
    assertThat(body.has("model")).as("Gemini names the model in the path").isFalse();
  }

  @Test
  void azureGetsItsDeploymentPathAndApiKeyHeader() {
    client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(AZURE).addUserMessage(ChatCompletionsTest.PROMPT).build());

    var stats = gateway.mock().stats();
    assertThat(stats.lastUri())
        .isEqualTo("/openai/deployments/gpt-mock-deployment/chat/completions?api-version=2024-10-21");
    assertThat(stats.lastHeaders()).containsEntry("api-key", GatewayFixture.MOCK_KEY)
        .doesNotContainKey("authorization");
  }

  @ParameterizedTest
  @ValueSource(strings = {CLAUDE, GEMINI, AZURE})
  void streamingHasTheAnswerThenUsageWithExactCost(String model) {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model(model).addUserMessage(ChatCompletionsTest.PROMPT)
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      stream.stream().forEach(chunks::add);
    }

    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
    assertThat(text).hasToString(ChatCompletionsTest.ANSWER);
    assertThat(chunks.stream().flatMap(c -> c.choices().stream()).flatMap(ch -> ch.finishReason().stream()))
        .containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
    CompletionUsage usage = chunks.getLast().usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(ChatCompletionsTest.PROMPT_TOKENS);
    assertThat(usage.completionTokens()).isEqualTo(ChatCompletionsTest.COMPLETION_TOKENS);
    assertThat(cost(usage)).isEqualByComparingTo(ChatCompletionsTest.COST);
    assertThat(gateway.mock().stats().streamsCompleted()).isEqualTo(1);
    if (model.equals(GEMINI)) {
      assertThat(gateway.mock().stats().lastUri())
          .isEqualTo("/v1beta/models/gemini-mock-flash:streamGenerateContent?alt=sse");
    } else if (model.equals(CLAUDE)) {
      assertThat(gateway.mock().stats().lastRequest().path("stream").asBoolean()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {CLAUDE, GEMINI, AZURE})
  void parallelToolCallsThenToolResults(String model) {
    ChatCompletion first = client.chat().completions().create(withTools(model).build());

    ChatCompletion.Choice choice = first.choices().getFirst();
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    List<ChatCompletionMessageFunctionToolCall> calls = choice.message().toolCalls().orElseThrow().stream()
        .map(call -> call.asFunction()).toList();
    assertThat(calls).extracting(c -> c.function().name()).containsExactly("get_weather", "get_time");
    assertThat(calls).extracting(ChatCompletionMessageFunctionToolCall::id).doesNotHaveDuplicates();
    assertThat(json(calls.get(0).function().arguments())).isEqualTo(json(ToolsTest.WEATHER_ARGS));
    assertThat(json(calls.get(1).function().arguments())).isEqualTo(json(ToolsTest.TIME_ARGS));

    // The mock checks the second turn as the provider would: tool ids answered, signatures intact.
    ChatCompletion second = client.chat().completions().create(withTools(model)
        .addMessage(choice.message())
        .addMessage(ToolsTest.toolResult(calls.get(0).id(), "18 C, sunny"))
        .addMessage(ToolsTest.toolResult(calls.get(1).id(), "14:05"))
        .build());

    assertThat(second.choices().getFirst().message().content()).hasValue("Tool result received: 14:05");
    assertThat(second.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    JsonNode sent = gateway.mock().stats().lastRequest();
    if (model.equals(CLAUDE)) {
      assertThat(sent.path("messages").path(1).path("content").path(0).path("type").asText()).isEqualTo("tool_use");
      assertThat(sent.path("messages").path(2).path("content").path(1).path("type").asText())
          .isEqualTo("tool_result");
    } else if (model.equals(GEMINI)) {
      JsonNode call = sent.path("contents").path(1).path("parts").path(0);
      assertThat(call.path("functionCall").path("name").asText()).isEqualTo("get_weather");
      assertThat(call.path("thoughtSignature").asText()).as("signature restored").startsWith("+/");
      assertThat(sent.path("contents").path(2).path("parts").path(1).path("functionResponse")
          .path("response").path("result").asText()).isEqualTo("14:05");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {CLAUDE, GEMINI, AZURE})
  void streamedParallelToolCallsAndAStreamedToolResultTurn(String model) {
    StreamedToolLoop.run(client, () -> withTools(model));
  }

  @ParameterizedTest
  @ValueSource(strings = {CLAUDE, GEMINI, AZURE})
  void jsonSchemaAnswersParseableJson(String model) {
    String format = """
        "response_format":{"type":"json_schema","json_schema":{"name":"weather","strict":true,
        "schema":{"type":"object","properties":{"city":{"type":"string"},"celsius":{"type":"number"},
        "sunny":{"type":"boolean"}},"required":["city","celsius","sunny"],"additionalProperties":false}}}""";

    var response = gateway.chat(GatewayFixture.body(model, "Weather in Paris as JSON", format));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode choice = json(response.body()).path("choices").path(0);
    assertThat(json(choice.path("message").path("content").asText()))
        .isEqualTo(json("{\"city\":\"mock\",\"celsius\":1,\"sunny\":true}"));
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    JsonNode upstream = gateway.mock().stats().lastRequest();
    if (model.equals(CLAUDE)) {
      // No native structured output on every Claude model: a forced answer tool carries the schema.
      assertThat(upstream.path("tool_choice").path("type").asText()).isEqualTo("tool");
      assertThat(upstream.path("tools").path(0).path("name").asText()).isEqualTo("json_answer_weather");
    } else if (model.equals(GEMINI)) {
      assertThat(upstream.path("generationConfig").path("responseMimeType").asText()).isEqualTo("application/json");
      assertThat(upstream.path("generationConfig").path("responseJsonSchema").path("required")).hasSize(3);
    }
  }

  static ChatCompletionCreateParams.Builder withTools(String model) {
    return ToolsTest.withTools("Weather and time in Paris?").model(model);
  }

  static BigDecimal cost(CompletionUsage usage) {
    JsonValue cost = usage._additionalProperties().get("cost");
    assertThat(cost).as("usage.cost").isNotNull();
    return new BigDecimal(cost.asNumber().orElseThrow().toString());
  }
}
