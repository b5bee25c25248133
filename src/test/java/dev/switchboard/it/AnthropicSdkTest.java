package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.SseException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Anthropic Messages dialect through Anthropic's own Java SDK, in front of the OpenAI-speaking
 * mock: the SDK appends {@code /v1/messages} to its base URL, so both {@code http://host:port/api}
 * (the base the README documents) and {@code http://host:port} must work.
 */
class AnthropicSdkTest {
  @TempDir static Path dir;
  static GatewayFixture gateway;
  static AnthropicClient client;
  static final List<AnthropicClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir);
    client = client("/api", gateway.key);
  }

  @AfterAll
  static void stop() {
    clients.forEach(AnthropicClient::close);
    gateway.close();
  }

  /** A client sending {@code apiKey} as {@code x-api-key}, as {@code ANTHROPIC_API_KEY} does. */
  static AnthropicClient client(String basePath, String apiKey) {
    return track(builder(basePath).apiKey(apiKey).build());
  }

  private static AnthropicOkHttpClient.Builder builder(String basePath) {
    return AnthropicOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + gateway.port() + basePath)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20));
  }

  private static AnthropicClient track(AnthropicClient created) {
    clients.add(created);
    return created;
  }

  static Tool weatherTool() {
    return Tool.builder()
        .name("get_weather")
        .description("Current weather in a city")
        .inputSchema(Tool.InputSchema.builder()
            .properties(Tool.InputSchema.Properties.builder()
                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                .build())
            .required(List.of("city"))
            .build())
        .build();
  }

  @Test
  void createAnswersWithTheSystemPromptPassedOn() {
    HttpResponseFor<Message> raw = client.messages().withRawResponse().create(MessageCreateParams.builder()
        .model(GatewayFixture.MODEL)
        .maxTokens(256)
        .system("You are terse.")
        .addUserMessage("Hello there")
        .build());
    Message message = raw.parse();

    assertThat(message.content()).hasSize(1);
    assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo("Mock answer to: Hello there");
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.usage().inputTokens()).isPositive();
    assertThat(message.usage().outputTokens()).isPositive();
    assertThat(message.id()).startsWith("gen-");
    assertThat(raw.headers().values("x-generation-id")).containsExactly(message.id());

    JsonNode upstream = gateway.mock().stats().lastRequest();
    assertThat(upstream.path("messages").path(0).path("role").asText()).isEqualTo("system");
    assertThat(upstream.path("messages").path(0).path("content").asText()).isEqualTo("You are terse.");
    assertThat(upstream.path("max_tokens").asInt()).isEqualTo(256);
    assertThat(GatewayFixture.number(gateway.generationRow(message.id()), "prompt_tokens")).isPositive();
  }

  /** The root base URL, with the key as a bearer token ({@code ANTHROPIC_AUTH_TOKEN}'s way). */
  @Test
  void theRootBaseUrlAndABearerTokenWorkToo() {
    AnthropicClient bearer = track(builder("").authToken(gateway.key).build());
    Message message = bearer.messages().create(MessageCreateParams.builder()
        .model(GatewayFixture.MODEL)
        .maxTokens(64)
        .addUserMessage("From the root")
        .build());

    assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo("Mock answer to: From the root");
  }

  @Test
  void streamedToolUseThenTheToolResultTurn() {
    MessageCreateParams.Builder first = MessageCreateParams.builder()
        .model(GatewayFixture.MODEL)
        .maxTokens(256)
        .addTool(weatherTool())
        .addUserMessage("What is the weather in Paris?");
    MessageAccumulator accumulator = MessageAccumulator.create();
    List<String> eventTypes = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(first.build())) {
      stream.stream().forEach(event -> {
        accumulator.accumulate(event);
        eventTypes.add(type(event));
      });
    }
    Message answer = accumulator.message();

    assertThat(answer.stopReason()).contains(StopReason.TOOL_USE);
    ToolUseBlock call = answer.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(call.id()).isEqualTo("call_1");
    assertThat(call._input().convert(Map.class)).isEqualTo(Map.of("city", "mock"));
    assertThat(eventTypes.getFirst()).isEqualTo("message_start");
    assertThat(eventTypes).contains("content_block_start", "content_block_delta", "content_block_stop")
        .endsWith("message_delta", "message_stop");

    Message second = client.messages().create(first
        .addMessage(answer)
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
            .toolUseId(call.id())
            .content("18C and sunny")
            .build())))
        .build());

    assertThat(second.content().getFirst().text().orElseThrow().text())
        .isEqualTo("Tool result received: 18C and sunny");
    assertThat(second.stopReason()).contains(StopReason.END_TURN);
    JsonNode sent = gateway.mock().stats().lastRequest().path("messages");
    assertThat(sent.path(1).path("tool_calls").path(0).path("id").asText()).isEqualTo("call_1");
    assertThat(sent.path(2).path("role").asText()).isEqualTo("tool");
    assertThat(sent.path(2).path("tool_call_id").asText()).isEqualTo("call_1");
  }

  private static String type(RawMessageStreamEvent event) {
    return event.isMessageStart() ? "message_start"
        : event.isContentBlockStart() ? "content_block_start"
        : event.isContentBlockDelta() ? "content_block_delta"
        : event.isContentBlockStop() ? "content_block_stop"
        : event.isMessageDelta() ? "message_delta"
        : event.isMessageStop() ? "message_stop"
        : "other";
  }

  @Test
  void streamedTextArrivesWhole() {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(MessageCreateParams.builder()
        .model(GatewayFixture.MODEL)
        .maxTokens(128)
        .addUserMessage("Stream me a short answer")
        .build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    Message message = accumulator.message();

    assertThat(message.content()).hasSize(1);
    assertThat(message.content().getFirst().text().orElseThrow().text())
        .isEqualTo("Mock answer to: Stream me a short answer");
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.usage().outputTokens()).isPositive();
    assertThat(message.usage().inputTokens()).isPositive();
  }

  @Test
  void aSlowUpstreamGetsPingsTheSdkIgnores() {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(MessageCreateParams.builder()
        .model(GatewayFixture.MODEL)
        .maxTokens(128)
        .addUserMessage("Slow #mock:delay=1500")
        .build())) {
      stream.stream().forEach(accumulator::accumulate);
    }

    assertThat(accumulator.message().content().getFirst().text().orElseThrow().text())
        .startsWith("Mock answer to: Slow");
  }

  @Test
  void aFailureMidStreamIsAnErrorEvent() {
    assertThatThrownBy(() -> {
      try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(
          MessageCreateParams.builder()
              .model(GatewayFixture.MODEL)
              .maxTokens(128)
              .addUserMessage("Fail halfway please #mock:error-after=3")
              .build())) {
        stream.stream().forEach(event -> {});
      }
    }).isInstanceOfSatisfying(SseException.class, e -> {
      assertThat(e.errorType().map(Object::toString)).contains("api_error");
      assertThat(e.getMessage()).contains("upstream provider mock failed");
    });
  }

  @Test
  void aBadKeyIsUnauthorizedInAnthropicsEnvelope() {
    assertThatThrownBy(() -> client("/api", "sk-sb-v1-not-a-key").messages().create(MessageCreateParams.builder()
        .model(GatewayFixture.MODEL).maxTokens(16).addUserMessage("hi").build()))
        .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(401);
          assertThat(e.body().convert(Map.class)).containsEntry("type", "error");
          assertThat(e.errorType().map(Object::toString)).contains("authentication_error");
        });
  }

  @Test
  void anUnknownModelIsNotFound() {
    assertThatThrownBy(() -> client.messages().create(MessageCreateParams.builder()
        .model("nobody/no-such-model").maxTokens(16).addUserMessage("hi").build()))
        .isInstanceOfSatisfying(NotFoundException.class,
            e -> assertThat(e.errorType().map(Object::toString)).contains("not_found_error"));
  }

  @Test
  void countTokensEstimatesThePrompt() {
    long small = client.messages().countTokens(MessageCountTokensParams.builder()
        .model(GatewayFixture.MODEL).addUserMessage("hi").build()).inputTokens();
    long large = client.messages().countTokens(MessageCountTokensParams.builder()
        .model(GatewayFixture.MODEL)
        .system("You are a meticulous assistant who answers in full sentences.")
        .addTool(weatherTool())
        .addUserMessage("hi, what is the weather like in Paris today, and what should I wear?")
        .build()).inputTokens();

    assertThat(small).isPositive();
    assertThat(large).isGreaterThan(small + 20);
  }

  @Test
  void countTokensNeedsAKey() {
    assertThatThrownBy(() -> client("/api", "sk-sb-v1-not-a-key").messages().countTokens(
        MessageCountTokensParams.builder().model(GatewayFixture.MODEL).addUserMessage("hi").build()))
        .isInstanceOf(UnauthorizedException.class);
  }

  /** What an Anthropic request with Claude Code's habits becomes for an OpenAI-compatible upstream. */
  @Test
  void crossDialectRequestReachesTheOpenAiUpstreamInItsOwnShape() {
    String body = """
        {"model": "%s", "max_tokens": 300, "stop_sequences": ["END"], "temperature": 0.2,
         "metadata": {"user_id": "u-42"},
         "system": [{"type": "text", "text": "You are Claude Code.", "cache_control": {"type": "ephemeral"}}],
         "tools": [{"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
         "tool_choice": {"type": "tool", "name": "get_weather", "disable_parallel_tool_use": true},
         "messages": [
           {"role": "user", "content": "Weather?"},
           {"role": "assistant", "content": [
             {"type": "thinking", "thinking": "Use the tool.", "signature": "c2ln"},
             {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Oslo"}}]},
           {"role": "user", "content": [
             {"type": "tool_result", "tool_use_id": "toolu_1", "content": "cold"},
             {"type": "text", "text": "And in Paris?", "cache_control": {"type": "ephemeral"}}]}
         ]}
        """.formatted(GatewayFixture.MODEL);
    // Claude Code adds ?beta=true to the path.
    var response = gateway.post("/v1/messages?beta=true", body, gateway.key);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode answer = GatewayFixture.json(response.body());
    assertThat(answer.path("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(answer.path("content").path(0).path("type").asText()).isEqualTo("tool_use");
    assertThat(answer.path("content").path(0).path("input").path("city").asText()).isEqualTo("mock");

    JsonNode upstream = gateway.mock().stats().lastRequest();
    assertThat(upstream.path("messages").path(0).path("content").asText()).isEqualTo("You are Claude Code.");
    JsonNode assistant = upstream.path("messages").path(2);
    assertThat(assistant.path("content").isNull()).as(assistant.toString()).isTrue();
    assertThat(assistant.path("tool_calls").path(0).path("function").path("arguments").asText())
        .isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(upstream.path("messages").path(3).path("tool_call_id").asText()).isEqualTo("toolu_1");
    assertThat(upstream.path("messages").path(4).path("content").asText()).isEqualTo("And in Paris?");
    assertThat(upstream.path("tools").path(0).path("function").path("parameters").path("properties").has("city"))
        .isTrue();
    assertThat(upstream.path("tool_choice").path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(upstream.path("parallel_tool_calls").asBoolean(true)).isFalse();
    assertThat(upstream.path("max_tokens").asInt()).isEqualTo(300);
    assertThat(upstream.path("stop").path(0).asText()).isEqualTo("END");
    assertThat(upstream.path("user").asText()).isEqualTo("u-42");
    assertThat(upstream.toString()).doesNotContain("cache_control").doesNotContain("thinking");
  }

  @Test
  void aMissingMaxTokensIsAnInvalidRequestError() {
    var response = gateway.post("/api/v1/messages",
        "{\"model\":\"" + GatewayFixture.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        gateway.key);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = GatewayFixture.json(response.body());
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("error").path("message").asText()).contains("max_tokens");
  }
}
