package dev.switchboard.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolUseBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Anthropic's official Java SDK reads what the mock sends on {@code /v1/messages}: messages,
 * streams (through the SDK's own accumulator, which follows the event sequence), tool use,
 * thinking, and errors by type. So the mock's Anthropic dialect is Anthropic's, not ours.
 */
class MockUpstreamAnthropicSdkTest {
  static MockUpstream mock;
  static AnthropicClient client;

  @BeforeAll
  static void start() {
    mock = MockUpstream.start(MockOptions.of().withApiKey("sk-ant-mock"));
    client = sdk("sk-ant-mock");
  }

  @AfterAll
  static void stop() {
    client.close();
    mock.close();
  }

  static AnthropicClient sdk(String key) {
    return AnthropicOkHttpClient.builder().baseUrl(mock.rootUrl()).apiKey(key).maxRetries(0).build();
  }

  static MessageCreateParams.Builder ask(String text) {
    return MessageCreateParams.builder().model("claude-mock").maxTokens(2048).addUserMessage(text);
  }

  static MessageCreateParams.Builder withWeatherTool(String text) {
    return ask(text).addTool(Tool.builder().name("get_weather")
        .inputSchema(Tool.InputSchema.builder()
            .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
            .build())
        .build());
  }

  @Test
  void messageHasTextStopReasonAndUsage() {
    Message message = client.messages().create(ask("Hello Claude").build());

    message.validate();
    assertThat(message.id()).startsWith("msg_mock_");
    assertThat(message.content()).hasSize(1);
    assertThat(message.content().getFirst().asText().text()).isEqualTo("Mock answer to: Hello Claude");
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(message.usage().inputTokens()).isEqualTo("Hello Claude".length() / 4);
    assertThat(message.usage().outputTokens()).isEqualTo(5);
  }

  @Test
  void streamAccumulatesToTheSameMessage() {
    MessageAccumulator accumulator = MessageAccumulator.create();
    List<RawMessageStreamEvent> events = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(ask("Hello Claude").build())) {
      stream.stream().forEach(event -> events.add(accumulator.accumulate(event)));
    }

    Message message = accumulator.message();
    message.validate();
    assertThat(message.content().getFirst().asText().text()).isEqualTo("Mock answer to: Hello Claude");
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(message.usage().outputTokens()).isEqualTo(5);
    assertThat(events.getFirst().isMessageStart()).isTrue();
    assertThat(events).anyMatch(RawMessageStreamEvent::isContentBlockDelta);
    assertThat(events.getLast().isMessageStop()).isTrue();
  }

  @Test
  void toolUseStreamsAsInputJsonDeltas() {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream =
        client.messages().createStreaming(withWeatherTool("Weather in Paris?").build())) {
      stream.stream().forEach(accumulator::accumulate);
    }

    Message message = accumulator.message();
    ToolUseBlock use = message.content().getFirst().asToolUse();
    assertThat(use.name()).isEqualTo("get_weather");
    assertThat(use.id()).startsWith("toolu_");
    assertThat(use._input().convert(Map.class)).isEqualTo(Map.of("city", "mock"));
    assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
  }

  @Test
  void thinkingComesFirstWithItsSignature() {
    Message whole = client.messages().create(ask("Think").enabledThinking(1024).build());
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream =
        client.messages().createStreaming(ask("Think").enabledThinking(1024).build())) {
      stream.stream().forEach(accumulator::accumulate);
    }

    for (Message message : List.of(whole, accumulator.message())) {
      ContentBlock first = message.content().getFirst();
      assertThat(first.isThinking()).isTrue();
      assertThat(first.asThinking().thinking()).isEqualTo("Mock reasoning about: Think");
      assertThat(first.asThinking().signature()).isEqualTo(MockSignatures.of("Mock reasoning about: Think"));
      assertThat(message.content().get(1).asText().text()).isEqualTo("Mock answer to: Think");
    }
  }

  @Test
  void errorsArriveAsTheSdksExceptionTypes() {
    assertThatThrownBy(() -> client.messages().create(ask("x #mock:status=429").build()))
        .isInstanceOf(RateLimitException.class);
    assertThatThrownBy(() -> client.messages().create(ask("x #mock:status=529").build()))
        .isInstanceOf(OverloadedException.class);
    assertThatThrownBy(() -> client.messages().create(ask("x").enabledThinking(4096).build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("budget_tokens");
    AnthropicClient wrongKey = sdk("sk-ant-wrong");
    try {
      assertThatThrownBy(() -> wrongKey.messages().create(ask("x").build()))
          .isInstanceOf(UnauthorizedException.class).hasMessageContaining("invalid x-api-key");
    } finally {
      wrongKey.close();
    }
  }

  @Test
  void midStreamErrorEventFailsTheStream() {
    List<RawMessageStreamEvent> events = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (StreamResponse<RawMessageStreamEvent> stream =
          client.messages().createStreaming(ask("Fail #mock:error-after=4").build())) {
        stream.stream().forEach(events::add);
      }
    }).isInstanceOf(AnthropicServiceException.class).hasMessageContaining("Mock upstream fault");
    assertThat(events).anyMatch(RawMessageStreamEvent::isContentBlockDelta);
  }
}
