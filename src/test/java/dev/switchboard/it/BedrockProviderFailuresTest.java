package dev.switchboard.it;

import static dev.switchboard.it.BedrockProviderTest.CLAUDE;
import static dev.switchboard.it.BedrockProviderTest.LLAMA;
import static dev.switchboard.it.GatewayFixture.json;
import static dev.switchboard.it.GatewayFixture.sseData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failures and reasoning through the {@code bedrock} adapter, on {@link BedrockProviderTest}'s
 * config: Bedrock's errors ({@code x-amzn-ErrorType} and {@code {"message"}}) reach the client as
 * OpenRouter's, a ThrottlingException falls back or reaches the client as a 429, an exception
 * message mid-stream ends the stream with an error chunk, and OpenRouter's {@code reasoning}
 * becomes Claude's thinking in {@code additionalModelRequestFields} and comes back as {@code
 * reasoning}.
 */
class BedrockProviderFailuresTest {
  static final String STREAM = StreamingTest.STREAM;

  @TempDir static Path dir;
  static GatewayFixture gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    gateway = BedrockProviderTest.startBedrock(dir);
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
  void throttlingReachesTheClientAsA429(String model) {
    for (String extra : List.of("", STREAM)) {
      HttpResponse<String> response = gateway.chat(GatewayFixture.body(model, "Busy? #mock:status=429", extra));

      JsonNode error = ErrorStatusTest.error(response, 429);
      assertThat(error.path("message").asText()).contains("ThrottlingException");
      assertThat(error.path("metadata").path("provider_name").asText()).startsWith("bedrock");
      assertThat(error.path("metadata").path("raw").asText()).contains("Mock upstream fault: HTTP 429");
    }
    assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(model).addUserMessage("Busy? #mock:status=429").build()))
        .isInstanceOf(RateLimitException.class);
  }

  @Test
  void throttlingFallsBackToTheNextEndpoint() {
    for (String extra : List.of("", STREAM)) {
      // sort by price: the cheaper, failing endpoint first, every time (the default order is a weighted draw)
      String sorted = "\"provider\":{\"sort\":\"price\"}" + (extra.isEmpty() ? "" : "," + extra);
      HttpResponse<String> response = gateway.chat(GatewayFixture.body("bedrock/claude-busy", ChatCompletionsTest.PROMPT, sorted));

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

  @Test
  void serverAndModelErrorsAre502WithTheProviderMessageAndValidationIs400() {
    for (int status : new int[] {500, 503, 424}) {
      HttpResponse<String> response = gateway.chat(GatewayFixture.body(CLAUDE, "Break #mock:status=" + status, ""));

      JsonNode error = ErrorStatusTest.error(response, 502);
      assertThat(error.path("metadata").path("raw").asText()).contains("Mock upstream fault: HTTP " + status);
    }
    HttpResponse<String> invalid = gateway.chat(GatewayFixture.body(CLAUDE, "Invalid #mock:status=400", ""));
    assertThat(ErrorStatusTest.error(invalid, 400).path("message").asText()).contains("ValidationException");
  }

  @Test
  void anImageByUrlIsRefusedBeforeAnythingIsSent() {
    HttpResponse<String> response = gateway.post("/api/v1/chat/completions", """
        {"model":"%s","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
        {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}""".formatted(CLAUDE), gateway.key);

    assertThat(ErrorStatusTest.error(response, 400).path("message").asText()).contains("data: URL");
    assertThat(gateway.mock().stats().requests()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " #mock:error-status=429"})
  void anExceptionMidStreamEndsTheStreamWithAnErrorChunk(String kind) {
    HttpResponse<String> response = gateway.chat(GatewayFixture.body(CLAUDE, "Fail halfway please #mock:error-after=4" + kind, STREAM));

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> chunks = sseData(response.body());
    JsonNode last = chunks.getLast();
    int code = last.path("error").path("code").asInt();
    if (kind.isEmpty()) {
      assertThat(code).as("modelStreamErrorException: %s", last).isBetween(500, 599);
    } else {
      assertThat(code).as("throttlingException: %s", last).isEqualTo(429);
    }
    assertThat(last.path("error").path("message").asText()).isNotBlank();
    assertThat(last.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
    assertThat(chunks.subList(0, chunks.size() - 1)).noneMatch(c -> c.has("error"));
    assertThat(StreamingTest.content(chunks)).as("text before the error").isNotEmpty();
    assertThat(response.body()).doesNotContain("[DONE]");
    assertThat(gateway.generationRow(last.path("id").asText())).containsEntry("status", "error");
  }

  @Test
  void brokenStreamsEndWithAnErrorChunk() {
    for (String fault : List.of("#mock:malformed", "#mock:reset-after=3")) {
      HttpResponse<String> response = gateway.chat(GatewayFixture.body(CLAUDE, "Break the stream " + fault, STREAM));

      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode last = sseData(response.body()).getLast();
      assertThat(last.path("error").path("code").asInt()).as("%s: %s", fault, last).isBetween(400, 599);
      assertThat(last.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
    }
  }

  @Test
  void usageLeftOutIsEstimated() {
    for (String extra : List.of("", STREAM)) {
      HttpResponse<String> response = gateway.chat(GatewayFixture.body(CLAUDE, ChatCompletionsTest.PROMPT + " #mock:no-usage", extra));

      JsonNode last = extra.isEmpty() ? json(response.body()) : sseData(response.body()).getLast();
      assertThat(last.path("usage").path("completion_tokens").asInt()).as("%s", last).isPositive();
      assertThat(GatewayFixture.number(gateway.generationRow(last.path("id").asText()), "usage_estimated"))
          .isEqualTo(1);
    }
  }

  @Test
  void reasoningBecomesClaudesThinkingAndStreamsAsReasoningDeltas() {
    StringBuilder reasoning = new StringBuilder();
    StringBuilder content = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model(CLAUDE).addUserMessage("Think first")
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
    // effort high is 80% of maxTokens, which is 32000 when the client sets none.
    assertThat(upstream.path("additionalModelRequestFields"))
        .isEqualTo(json("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":25600}}"));
    assertThat(upstream.path("inferenceConfig").path("maxTokens").asInt()).isEqualTo(32_000);
  }

  @Test
  void reasoningComesBackOnTheMessageWithItsTokensCounted() {
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(CLAUDE).addUserMessage("Think first")
        .putAdditionalBodyProperty("reasoning", JsonValue.from(Map.of("max_tokens", 2048)))
        .build());

    var message = completion.choices().getFirst().message();
    assertThat(message._additionalProperties().get("reasoning").asString())
        .hasValue("Mock reasoning about: Think first");
    assertThat(message.content()).hasValue("Mock answer to: Think first");
    // 5 words of answer + 5 of reasoning: Claude counts thinking in outputTokens, as OpenAI does.
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(10);
  }

  @Test
  void reasoningIsNotAskedOfModelsOtherThanClaude() {
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(LLAMA).addUserMessage("Think first")
        .putAdditionalBodyProperty("reasoning", JsonValue.from(Map.of("effort", "high"))).build());

    assertThat(completion.choices().getFirst().message().content()).hasValue("Mock answer to: Think first");
    assertThat(gateway.mock().stats().lastRequest().has("additionalModelRequestFields")).isFalse();
  }

  @Test
  void aForcedToolWinsOverReasoning() {
    ChatCompletion completion = client.chat().completions().create(BedrockProviderTest.withTools(CLAUDE)
        .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
        .putAdditionalBodyProperty("reasoning", JsonValue.from(Map.of("effort", "low"))).build());

    assertThat(completion.choices().getFirst().message().toolCalls().orElseThrow()).hasSize(2);
    JsonNode upstream = gateway.mock().stats().lastRequest();
    assertThat(upstream.path("toolConfig").path("toolChoice")).isEqualTo(json("{\"any\":{}}"));
    assertThat(upstream.has("additionalModelRequestFields")).as("Claude refuses thinking with a forced tool").isFalse();
  }

  @Test
  void toolLoopWithReasoningStillWorksOnClaude() {
    var params = BedrockProviderTest.withTools(CLAUDE)
        .putAdditionalBodyProperty("reasoning", JsonValue.from(Map.of("effort", "low")));
    ChatCompletion first = client.chat().completions().create(params.build());
    var message = first.choices().getFirst().message();
    var calls = message.toolCalls().orElseThrow().stream().map(c -> c.asFunction()).toList();
    assertThat(gateway.mock().stats().lastRequest().has("additionalModelRequestFields")).isTrue();

    // The client keeps no signed reasoning block (OpenAI's shape has none), so the adapter must
    // leave thinking off for the tool-result turn: Claude on Bedrock (and the mock) rejects it otherwise.
    ChatCompletion second = client.chat().completions().create(params
        .addMessage(message)
        .addMessage(ToolsTest.toolResult(calls.get(0).id(), "18 C"))
        .addMessage(ToolsTest.toolResult(calls.get(1).id(), "14:05"))
        .build());

    assertThat(second.choices().getFirst().message().content()).hasValue("Tool result received: 14:05");
    assertThat(gateway.mock().stats().lastRequest().has("additionalModelRequestFields")).isFalse();
  }

  @Test
  void streamedReasoningDetailsEchoedBackKeepThinkingOnThroughTheToolLoop() {
    String tools = """
        "tools": [
          {"type": "function", "function": {"name": "get_weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}},
          {"type": "function", "function": {"name": "get_time",
            "parameters": {"type": "object", "properties": {"timezone": {"type": "string"}}}}}],
        "reasoning": {"effort": "low"}""";
    HttpResponse<String> first = gateway.chat("""
        {"model": "%s", "stream": true, "messages": [{"role": "user", "content": "Weather and time in Paris?"}], %s}
        """.formatted(CLAUDE, tools));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

    StringBuilder reasoning = new StringBuilder();
    var details = GatewayFixture.JSON.createArrayNode();
    var calls = new TreeMap<Integer, ObjectNode>();
    for (JsonNode chunk : sseData(first.body())) {
      JsonNode delta = chunk.path("choices").path(0).path("delta");
      reasoning.append(delta.path("reasoning").asText(""));
      delta.path("reasoning_details").forEach(details::add);
      for (JsonNode call : delta.path("tool_calls")) {
        var whole = calls.computeIfAbsent(call.path("index").asInt(), i -> GatewayFixture.JSON.createObjectNode()
            .put("type", "function").put("id", "").set("function", GatewayFixture.JSON.createObjectNode()
                .put("name", "").put("arguments", "")));
        var function = (ObjectNode) whole.get("function");
        if (call.path("id").isTextual()) {
          whole.put("id", call.get("id").asText());
        }
        if (call.path("function").path("name").isTextual()) {
          function.put("name", call.path("function").get("name").asText());
        }
        function.put("arguments", function.get("arguments").asText() + call.path("function").path("arguments").asText(""));
      }
    }
    assertThat(details).as("the signed reasoning block arrives as one detail").hasSize(1);
    JsonNode detail = details.get(0);
    assertThat(detail.path("type").asText()).isEqualTo("reasoning.text");
    assertThat(detail.path("text").asText()).isEqualTo(reasoning.toString()).isNotEmpty();
    assertThat(detail.path("signature").asText()).isNotEmpty();
    assertThat(calls).hasSize(2);

    var assistant = GatewayFixture.JSON.createObjectNode().put("role", "assistant");
    assistant.set("tool_calls", GatewayFixture.JSON.valueToTree(calls.values()));
    assistant.set("reasoning_details", details);
    String history = """
        [{"role": "user", "content": "Weather and time in Paris?"}, %s,
         {"role": "tool", "tool_call_id": "%s", "content": "18 C"},
         {"role": "tool", "tool_call_id": "%s", "content": "14:05"}]"""
        .formatted(assistant, calls.get(0).get("id").asText(), calls.get(1).get("id").asText());
    HttpResponse<String> second = gateway.chat("""
        {"model": "%s", "messages": %s, %s}""".formatted(CLAUDE, history, tools));

    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    assertThat(json(second.body()).path("choices").path(0).path("message").path("content").asText())
        .isEqualTo("Tool result received: 14:05");
    JsonNode upstream = gateway.mock().stats().lastRequest();
    assertThat(upstream.has("additionalModelRequestFields")).as("thinking stayed on").isTrue();
    JsonNode opening = upstream.path("messages").path(1).path("content").path(0).path("reasoningContent");
    assertThat(opening.path("reasoningText").path("text").asText()).isEqualTo(detail.path("text").asText());
    assertThat(opening.path("reasoningText").path("signature").asText()).isEqualTo(detail.path("signature").asText());
  }
}
