package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.json;
import static dev.switchboard.it.NativeProvidersTest.cost;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.switchboard.mock.MockStats;
import dev.switchboard.provider.transport.SigV4Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway in front of the {@code bedrock} adapter, pointed at the mock's Converse route, used
 * through the official OpenAI SDK: one provider signs with SigV4 credentials from the config, one
 * presents a Bedrock API key. What the client sees is OpenAI's shape; what reached the mock is
 * Converse, signed as AWS would check it. Failures and reasoning are in {@link
 * BedrockProviderFailuresTest}.
 */
class BedrockProviderTest {
  /** Claude on Bedrock, SigV4-signed. */
  static final String CLAUDE = "bedrock/claude-mock";
  /** A Llama on Bedrock, with a Bedrock API key. */
  static final String LLAMA = "bedrock/llama-mock";
  static final String CLAUDE_ID = "anthropic.claude-mock-v1:0";
  static final String ACCESS_KEY_ID = "AKIDMOCKEXAMPLE";
  static final String SECRET_ACCESS_KEY = "mock/secret+access+key";
  static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID
          + "/(\\d{8})/us-east-1/bedrock/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

  @TempDir static Path dir;
  static GatewayFixture gateway;
  static OpenAIClient client;

  /**
   * One mock, four providers on it: {@code bedrock} (SigV4 from config), {@code bedrock-key} (a
   * Bedrock API key), and for fallback {@code busy-bedrock} (every answer a 429
   * ThrottlingException by the configured fault header, cheapest) before {@code backup}
   * (openai-compatible).
   */
  static GatewayFixture startBedrock(Path dir) {
    return GatewayFixture.start(dir, 1, env -> """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: %1$s }
        # Each test forces its own faults; endpoint health carried from one test to the next
        # (an open breaker, a Retry-After pause) would make them depend on their order.
        routing: { health: { breaker_failures: 0, max_retry_after: 0s } }
        providers:
          bedrock: { kind: bedrock, region: us-east-1, base_url: %2$s, aws_access_key_id: %3$s, aws_secret_access_key: "%4$s" }
          bedrock-key: { kind: bedrock, region: us-east-1, base_url: %2$s, api_key: ${MOCK_KEY} }
          busy-bedrock: { kind: bedrock, region: us-east-1, base_url: %2$s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "status=429" } }
          backup: { kind: openai-compatible, base_url: %2$s/v1, api_key: ${MOCK_KEY} }
        models:
          - { id: %5$s, name: Claude Mock on Bedrock, context_length: 200000, endpoints: [
              { provider: bedrock, model: "%6$s", pricing: { prompt: "0.000001", completion: "0.000002" } } ] }
          - { id: %7$s, name: Llama Mock on Bedrock, context_length: 128000, endpoints: [
              { provider: bedrock-key, model: "meta.llama-mock-v1:0", pricing: { prompt: "0.000001", completion: "0.000002" } } ] }
          - { id: bedrock/claude-busy, name: Busy Claude, context_length: 200000, endpoints: [
              { provider: busy-bedrock, model: "%6$s", pricing: { prompt: "0.0000005", completion: "0.000001" } },
              { provider: backup, model: mock-model, pricing: { prompt: "0.000001", completion: "0.000002" } } ] }
        """.formatted(env.storageUrl(), env.mocks().getFirst().rootUrl(), ACCESS_KEY_ID, SECRET_ACCESS_KEY,
        CLAUDE, CLAUDE_ID, LLAMA));
  }

  @BeforeAll
  static void start() {
    gateway = startBedrock(dir);
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
  @ValueSource(strings = {CLAUDE, LLAMA})
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
  void claudeGetsAConverseRequestSignedWithSigV4() throws JsonProcessingException {
    client.chat().completions().create(ChatCompletionCreateParams.builder().model(CLAUDE)
        .addSystemMessage("Be brief.").addUserMessage(ChatCompletionsTest.PROMPT).maxCompletionTokens(100)
        .temperature(0.5).build());

    MockStats.Snapshot stats = gateway.mock().stats();
    String path = "/model/anthropic.claude-mock-v1%3A0/converse";
    assertThat(stats.lastUri()).isEqualTo(path);
    Map<String, String> headers = stats.lastHeaders();
    Matcher authorization = AUTHORIZATION.matcher(headers.getOrDefault("authorization", ""));
    assertThat(authorization.matches()).as("authorization %s", headers.get("authorization")).isTrue();
    assertThat(headers.get("x-amz-date")).matches("\\d{8}T\\d{6}Z").startsWith(authorization.group(1));
    assertThat(authorization.group(2).split(";")).contains("host", "x-amz-date", "content-type");
    JsonNode body = stats.lastRequest();
    assertThat(body.path("messages")).isEqualTo(json(
        "[{\"role\":\"user\",\"content\":[{\"text\":\"" + ChatCompletionsTest.PROMPT + "\"}]}]"));
    assertThat(body.path("system")).isEqualTo(json("[{\"text\":\"Be brief.\"}]"));
    assertThat(body.path("inferenceConfig").toString()).isEqualTo("{\"maxTokens\":100,\"temperature\":0.5}");
    assertThat(body.has("modelId") || body.has("model") || body.has("stream")).as("the model is in the path").isFalse();

    // Recompute the signature from what arrived, as AWS would. The body is the adapter's compact
    // JSON, which re-serialising the parsed tree reproduces byte for byte for this request.
    Map<String, String> signed = new LinkedHashMap<>();
    for (String name : authorization.group(2).split(";")) {
      signed.put(name, headers.get(name));
    }
    byte[] sentBody = GatewayFixture.JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    assertThat(SigV4Reference.signature("POST", path, signed, sentBody, headers.get("x-amz-date"),
        SECRET_ACCESS_KEY, "us-east-1", "bedrock")).isEqualTo(authorization.group(3));
  }

  @Test
  void openAisTemperatureRangeIsFittedIntoConverses() {
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(LLAMA).addUserMessage(ChatCompletionsTest.PROMPT).temperature(1.5).topP(0.9).build());

    assertThat(completion.choices().getFirst().message().content()).hasValue(ChatCompletionsTest.ANSWER);
    // OpenAI's temperature goes to 2, Converse's inferenceConfig.temperature only to 1.
    assertThat(gateway.mock().stats().lastRequest().path("inferenceConfig").toString())
        .isEqualTo("{\"temperature\":1.0,\"topP\":0.9}");
  }

  @Test
  void imagesAndDocumentsTravelAsBytes() {
    String png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    var response = gateway.post("/api/v1/chat/completions", """
        {"model":"%s","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
        {"type":"image_url","image_url":{"url":"data:image/png;base64,%s","detail":"low"}},
        {"type":"file","file":{"filename":"Q3 report.pdf","file_data":"data:application/pdf;base64,JVBERi0xLjQK"}}]}]}"""
        .formatted(CLAUDE, png), gateway.key);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode content = gateway.mock().stats().lastRequest().path("messages").path(0).path("content");
    assertThat(content.path(1)).isEqualTo(json("{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"" + png + "\"}}}"));
    assertThat(content.path(2)).isEqualTo(json(
        "{\"document\":{\"format\":\"pdf\",\"name\":\"Q3 report\",\"source\":{\"bytes\":\"JVBERi0xLjQK\"}}}"));
  }

  @Test
  void llamaGetsTheBedrockApiKeyAsABearerToken() {
    client.chat().completions().create(ChatCompletionCreateParams.builder().model(LLAMA)
        .addUserMessage(ChatCompletionsTest.PROMPT).build());

    MockStats.Snapshot stats = gateway.mock().stats();
    assertThat(stats.lastUri()).isEqualTo("/model/meta.llama-mock-v1%3A0/converse");
    assertThat(stats.lastHeaders()).containsEntry("authorization", "Bearer " + GatewayFixture.MOCK_KEY)
        .doesNotContainKey("x-amz-date");
    assertThat(stats.lastRequest().has("inferenceConfig")).as("nothing to configure").isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {CLAUDE, LLAMA})
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
    MockStats.Snapshot stats = gateway.mock().stats();
    assertThat(stats.streamsCompleted()).isEqualTo(1);
    assertThat(stats.lastUri()).endsWith("%3A0/converse-stream");
    assertThat(stats.lastHeaders()).containsEntry("accept", "application/vnd.amazon.eventstream");
    var row = gateway.generationRow(chunks.getFirst().id());
    assertThat(GatewayFixture.number(row, "cost_nanos")).isEqualTo(26_000);
  }

  @ParameterizedTest
  @ValueSource(strings = {CLAUDE, LLAMA})
  void parallelToolCallsThenToolResults(String model) {
    ChatCompletion first = client.chat().completions().create(withTools(model).build());

    ChatCompletion.Choice choice = first.choices().getFirst();
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    List<ChatCompletionMessageFunctionToolCall> calls = choice.message().toolCalls().orElseThrow().stream()
        .map(call -> call.asFunction()).toList();
    assertThat(calls).extracting(c -> c.function().name()).containsExactly("get_weather", "get_time");
    assertThat(calls).extracting(ChatCompletionMessageFunctionToolCall::id)
        .containsExactly("tooluse_call_1", "tooluse_call_2");
    assertThat(json(calls.get(0).function().arguments())).isEqualTo(json(ToolsTest.WEATHER_ARGS));
    assertThat(json(calls.get(1).function().arguments())).isEqualTo(json(ToolsTest.TIME_ARGS));
    JsonNode offered = gateway.mock().stats().lastRequest().path("toolConfig");
    assertThat(offered.path("tools").path(0).path("toolSpec").path("name").asText()).isEqualTo("get_weather");
    assertThat(offered.path("tools").path(0).path("toolSpec").path("inputSchema").path("json").path("required"))
        .hasSize(2);

    // The mock checks the second turn as Bedrock would: every toolUse answered in the next turn.
    ChatCompletion second = client.chat().completions().create(withTools(model)
        .addMessage(choice.message())
        .addMessage(ToolsTest.toolResult(calls.get(0).id(), "18 C, sunny"))
        .addMessage(ToolsTest.toolResult(calls.get(1).id(), "14:05"))
        .build());

    assertThat(second.choices().getFirst().message().content()).hasValue("Tool result received: 14:05");
    assertThat(second.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    JsonNode sent = gateway.mock().stats().lastRequest().path("messages");
    assertThat(sent.path(1).path("role").asText()).isEqualTo("assistant");
    assertThat(sent.path(1).path("content").path(0).path("toolUse").path("toolUseId").asText())
        .isEqualTo("tooluse_call_1");
    assertThat(sent.path(1).path("content").path(0).path("toolUse").path("input")).isEqualTo(json(ToolsTest.WEATHER_ARGS));
    assertThat(sent.path(2).path("role").asText()).isEqualTo("user");
    assertThat(sent.path(2).path("content").path(1).path("toolResult"))
        .isEqualTo(json("{\"toolUseId\":\"tooluse_call_2\",\"content\":[{\"text\":\"14:05\"}]}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {CLAUDE, LLAMA})
  void streamedParallelToolCallsAndAStreamedToolResultTurn(String model) {
    StreamedToolLoop.run(client, () -> withTools(model));
  }

  @Test
  void jsonSchemaIsAnsweredThroughAForcedTool() {
    String format = """
        "response_format":{"type":"json_schema","json_schema":{"name":"weather","strict":true,
        "schema":{"type":"object","properties":{"city":{"type":"string"},"celsius":{"type":"number"},
        "sunny":{"type":"boolean"}},"required":["city","celsius","sunny"],"additionalProperties":false}}}""";

    for (String extra : List.of(format, format + "," + StreamingTest.STREAM)) {
      var response = gateway.chat(GatewayFixture.body("Weather in Paris as JSON", extra).replace(GatewayFixture.MODEL, CLAUDE));

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      String content;
      String finish;
      if (extra.equals(format)) {
        JsonNode choice = json(response.body()).path("choices").path(0);
        content = choice.path("message").path("content").asText();
        finish = choice.path("finish_reason").asText();
      } else {
        List<JsonNode> chunks = GatewayFixture.sseData(response.body());
        content = StreamingTest.content(chunks);
        finish = chunks.stream().map(c -> c.path("choices").path(0).path("finish_reason").asText(""))
            .filter(f -> !f.isEmpty() && !f.equals("null")).findFirst().orElse("");
      }
      assertThat(json(content)).isEqualTo(json("{\"city\":\"mock\",\"celsius\":1,\"sunny\":true}"));
      assertThat(finish).isEqualTo("stop");
      JsonNode toolConfig = gateway.mock().stats().lastRequest().path("toolConfig");
      assertThat(toolConfig.path("toolChoice")).isEqualTo(json("{\"tool\":{\"name\":\"json_answer_weather\"}}"));
      assertThat(toolConfig.path("tools").path(0).path("toolSpec").path("name").asText()).isEqualTo("json_answer_weather");
      assertThat(toolConfig.path("tools").path(0).path("toolSpec").path("inputSchema").path("json").path("required"))
          .hasSize(3);
    }
  }

  static ChatCompletionCreateParams.Builder withTools(String model) {
    return ToolsTest.withTools("Weather and time in Paris?").model(model);
  }
}
