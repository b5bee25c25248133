package dev.switchboard.it;

import static dev.switchboard.it.NativeProvidersTest.CLAUDE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenRouter's {@code reasoning_details} round trip through the official OpenAI SDK, against the
 * gateway in front of the mock's Anthropic route: the client gets the signed thinking block as a
 * detail, echoes it on the tool-result turn, and the upstream gets it back as the thinking block
 * that opens the assistant turn, so thinking stays on. The mock verifies its own signatures and
 * rejects a tool-result turn with thinking on whose assistant turn lacks a signed thinking block.
 */
class ReasoningDetailsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  private static ChatCompletionCreateParams.Builder thinking() {
    return NativeProvidersTest.withTools(CLAUDE)
        .putAdditionalBodyProperty("reasoning", JsonValue.from(Map.of("effort", "low")));
  }

  @Test
  void jsonToolLoopKeepsThinkingOnWithTheEchoedDetails() throws Exception {
    ChatCompletionCreateParams.Builder params = thinking();
    ChatCompletion first = client.chat().completions().create(params.build());
    ChatCompletionMessage message = first.choices().getFirst().message();

    JsonValue details = message._additionalProperties().get("reasoning_details");
    assertThat(details).as("message.reasoning_details").isNotNull();
    JsonNode detail = detailsJson(details).path(0);
    assertThat(detail.path("type").asText()).isEqualTo("reasoning.text");
    assertThat(detail.path("format").asText()).isEqualTo("anthropic-claude-v1");
    assertThat(detail.path("index").asInt(-1)).isZero();
    assertThat(detail.path("text").asText()).isEqualTo(
        message._additionalProperties().get("reasoning").asString().orElseThrow());
    assertThat(detail.path("signature").asText()).isNotEmpty();

    List<ChatCompletionMessageFunctionToolCall> calls =
        message.toolCalls().orElseThrow().stream().map(ChatCompletionMessageToolCall::asFunction).toList();
    ChatCompletion second = client.chat().completions().create(params
        .addMessage(echo(message.content().orElse(null), calls, details))
        .addMessage(ToolsTest.toolResult(calls.get(0).id(), "18 C"))
        .addMessage(ToolsTest.toolResult(calls.get(1).id(), "14:05"))
        .build());

    assertThat(second.choices().getFirst().message().content()).hasValue("Tool result received: 14:05");
    assertSentBack(detail);
  }

  @Test
  void streamedToolLoopKeepsThinkingOnWithTheEchoedDetails() throws Exception {
    ChatCompletionCreateParams.Builder params = thinking();
    List<JsonNode> details = new ArrayList<>();
    Map<Long, String> ids = new TreeMap<>();
    Map<Long, String> names = new TreeMap<>();
    Map<Long, StringBuilder> arguments = new TreeMap<>();
    StringBuilder reasoning = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params.build())) {
      for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
        for (ChatCompletionChunk.Choice choice : chunk.choices()) {
          Map<String, JsonValue> extra = choice.delta()._additionalProperties();
          if (extra.get("reasoning") != null) {
            reasoning.append(extra.get("reasoning").asString().orElseThrow());
          }
          if (extra.get("reasoning_details") != null) {
            detailsJson(extra.get("reasoning_details")).forEach(details::add);
          }
          for (var call : choice.delta().toolCalls().orElse(List.of())) {
            call.id().ifPresent(id -> ids.put(call.index(), id));
            call.function().flatMap(f -> f.name()).ifPresent(name -> names.put(call.index(), name));
            call.function().flatMap(f -> f.arguments()).ifPresent(
                a -> arguments.computeIfAbsent(call.index(), i -> new StringBuilder()).append(a));
          }
        }
      }
    }

    assertThat(details).hasSize(1);
    JsonNode detail = details.getFirst();
    assertThat(detail.path("type").asText()).isEqualTo("reasoning.text");
    assertThat(detail.path("format").asText()).isEqualTo("anthropic-claude-v1");
    assertThat(detail.path("index").asInt(-1)).isZero();
    assertThat(detail.path("text").asText()).isEqualTo(reasoning.toString()).isNotEmpty();
    assertThat(detail.path("signature").asText()).isNotEmpty();

    List<ChatCompletionMessageFunctionToolCall> calls = new ArrayList<>();
    for (Long index : ids.keySet()) {
      calls.add(ChatCompletionMessageFunctionToolCall.builder().id(ids.get(index))
          .function(ChatCompletionMessageFunctionToolCall.Function.builder()
              .name(names.get(index)).arguments(arguments.get(index).toString()).build())
          .build());
    }
    assertThat(calls).hasSize(2);
    ChatCompletion second = client.chat().completions().create(params
        .addMessage(echo(null, calls, JsonValue.from(List.of(JSON.convertValue(detail, Map.class)))))
        .addMessage(ToolsTest.toolResult(calls.get(0).id(), "18 C"))
        .addMessage(ToolsTest.toolResult(calls.get(1).id(), "14:05"))
        .build());

    assertThat(second.choices().getFirst().message().content()).hasValue("Tool result received: 14:05");
    assertSentBack(detail);
  }

  /** The assistant turn as an OpenRouter client sends it back: its calls and its details. */
  private static ChatCompletionAssistantMessageParam echo(
      String content, List<ChatCompletionMessageFunctionToolCall> calls, JsonValue details) {
    var builder = ChatCompletionAssistantMessageParam.builder();
    if (content != null) {
      builder.content(content);
    }
    for (var call : calls) {
      builder.addToolCall(call);
    }
    return builder.putAdditionalProperty("reasoning_details", details).build();
  }

  @Test
  void excludedReasoningIsRequestedUpstreamButNeverShown() throws Exception {
    String body = """
        {"model": "%s", "messages": [{"role": "user", "content": "Is 1009 prime?"}],
         "reasoning": {"effort": "low", "exclude": true}%s}""";

    var json = gateway.chat(body.formatted(CLAUDE, ""));
    assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
    assertThat(gateway.mock().stats().lastRequest().path("thinking").path("type").asText()).isEqualTo("enabled");
    JsonNode message = JSON.readTree(json.body()).path("choices").path(0).path("message");
    assertThat(message.path("content").asText()).isNotBlank();
    assertThat(message.has("reasoning")).as(json.body()).isFalse();
    assertThat(message.has("reasoning_details")).as(json.body()).isFalse();

    var sse = gateway.chat(body.formatted(CLAUDE, ", \"stream\": true"));
    assertThat(sse.statusCode()).as(sse.body()).isEqualTo(200);
    assertThat(gateway.mock().stats().lastRequest().path("thinking").path("type").asText()).isEqualTo("enabled");
    assertThat(sse.body()).contains("\"content\"").contains("[DONE]");
    assertThat(sse.body()).doesNotContain("\"reasoning\"").doesNotContain("reasoning_details");
  }

  @Test
  void reasoningIsShownWhenNotExcluded() throws Exception {
    // The counterpart of the test above: the same request without exclude returns reasoning.
    var sse = gateway.chat("""
        {"model": "%s", "messages": [{"role": "user", "content": "Is 1009 prime?"}],
         "reasoning": {"effort": "low"}, "stream": true}""".formatted(CLAUDE));
    assertThat(sse.body()).contains("\"reasoning\"").contains("reasoning_details");
  }

  /** Thinking stayed on, and the assistant turn opened with the client's signed block. */
  private static void assertSentBack(JsonNode detail) {
    JsonNode sent = gateway.mock().stats().lastRequest();
    assertThat(sent.path("thinking").path("type").asText()).isEqualTo("enabled");
    JsonNode assistant = sent.path("messages").path(1);
    assertThat(assistant.path("role").asText()).isEqualTo("assistant");
    JsonNode block = assistant.path("content").path(0);
    assertThat(block.path("type").asText()).isEqualTo("thinking");
    assertThat(block.path("thinking").asText()).isEqualTo(detail.path("text").asText());
    assertThat(block.path("signature").asText()).isEqualTo(detail.path("signature").asText());
  }

  private static JsonNode detailsJson(JsonValue value) throws Exception {
    return JSON.readTree(JSON.writeValueAsString(value.convert(Object.class)));
  }
}
