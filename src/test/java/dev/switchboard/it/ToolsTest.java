package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tool calling through the SDK: parallel calls with arguments, streamed and not, then the tool-result turn. */
class ToolsTest {
  static final String WEATHER_ARGS = "{\"city\":\"mock\",\"unit\":\"celsius\"}";
  static final String TIME_ARGS = "{\"timezone\":\"mock\",\"offset\":1}";

  @TempDir static Path dir;
  static GatewayFixture gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir);
    client = gateway.client("/api/v1");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static ChatCompletionCreateParams.Builder withTools(String userText) {
    return ChatCompletionCreateParams.builder()
        .model(GatewayFixture.MODEL)
        .addUserMessage(userText)
        .parallelToolCalls(true)
        .addFunctionTool(FunctionDefinition.builder()
            .name("get_weather")
            .description("Current weather in a city")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of(
                    "city", Map.of("type", "string"),
                    "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit")))))
                .putAdditionalProperty("required", JsonValue.from(List.of("city", "unit")))
                .build())
            .build())
        .addFunctionTool(FunctionDefinition.builder()
            .name("get_time")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of(
                    "timezone", Map.of("type", "string"),
                    "offset", Map.of("type", "integer"))))
                .build())
            .build());
  }

  @Test
  void parallelToolCallsThenToolResults() {
    ChatCompletion first = client.chat().completions().create(withTools("Weather and time in Paris?").build());

    ChatCompletion.Choice choice = first.choices().getFirst();
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessage message = choice.message();
    List<ChatCompletionMessageFunctionToolCall> calls = message.toolCalls().orElseThrow().stream()
        .map(call -> call.asFunction()).toList();
    assertThat(calls).extracting(c -> c.function().name()).containsExactly("get_weather", "get_time");
    assertThat(calls).extracting(ChatCompletionMessageFunctionToolCall::id).doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).isNotBlank());
    assertThat(json(calls.get(0).function().arguments())).isEqualTo(json(WEATHER_ARGS));
    assertThat(json(calls.get(1).function().arguments())).isEqualTo(json(TIME_ARGS));
    JsonNode upstreamTools = gateway.mock().stats().lastRequest().path("tools");
    assertThat(upstreamTools).hasSize(2);
    assertThat(upstreamTools.path(0).path("function").path("parameters").path("required"))
        .isEqualTo(json("[\"city\",\"unit\"]"));

    ChatCompletion second = client.chat().completions().create(withTools("Weather and time in Paris?")
        .addMessage(message)
        .addMessage(toolResult(calls.get(0).id(), "18 C, sunny"))
        .addMessage(toolResult(calls.get(1).id(), "14:05"))
        .build());

    assertThat(second.choices().getFirst().message().content()).hasValue("Tool result received: 14:05");
    assertThat(second.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    JsonNode sent = gateway.mock().stats().lastRequest().path("messages");
    assertThat(sent).hasSize(4);
    assertThat(sent.path(1).path("role").asText()).isEqualTo("assistant");
    assertThat(sent.path(1).path("tool_calls").path(1).path("id").asText()).isEqualTo(calls.get(1).id());
    assertThat(json(sent.path(1).path("tool_calls").path(0).path("function").path("arguments").asText()))
        .isEqualTo(json(WEATHER_ARGS));
    assertThat(sent.path(2).path("role").asText()).isEqualTo("tool");
    assertThat(sent.path(2).path("tool_call_id").asText()).isEqualTo(calls.get(0).id());
    assertThat(sent.path(3).path("content").asText()).isEqualTo("14:05");
  }

  @Test
  void streamedParallelToolCallsAssembleToTheSameCalls() {
    var calls = StreamedToolLoop.run(client, () -> withTools("Weather and time in Paris?")).calls();

    JsonNode sent = gateway.mock().stats().lastRequest().path("messages");
    assertThat(sent.path(1).path("tool_calls").path(0).path("id").asText()).isEqualTo(calls.get(0).id());
    assertThat(json(sent.path(1).path("tool_calls").path(1).path("function").path("arguments").asText()))
        .isEqualTo(json(TIME_ARGS));
  }

  static ChatCompletionToolMessageParam toolResult(String callId, String content) {
    return ChatCompletionToolMessageParam.builder().toolCallId(callId).content(content).build();
  }
}
