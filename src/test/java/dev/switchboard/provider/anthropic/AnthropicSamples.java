package dev.switchboard.provider.anthropic;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.Message;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ResponseFormat;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.ToolChoice;
import dev.switchboard.core.ToolSpec;
import dev.switchboard.provider.Fixtures;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Samples of Anthropic's wire format for the adapter contract and the adapter's own tests. */
final class AnthropicSamples {
  static final String PROVIDER = "anthropic";

  /** Every stop reason Anthropic documents, plus one it may add. */
  static final List<String> STOP_REASONS =
      List.of(
          "end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal",
          "model_context_window_exceeded", "something_new");

  private AnthropicSamples() {}

  static Target target() {
    return new Target(PROVIDER, "claude-sonnet-4-5", AnthropicAdapter.DEFAULT_BASE_URL);
  }

  static byte[] streamFinishingWith(String reason) {
    String body =
        """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_x","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"%s","stop_sequence":null},"usage":{"output_tokens":2}}

        event: message_stop
        data: {"type":"message_stop"}

        """
            .formatted(reason);
    return body.getBytes(StandardCharsets.UTF_8);
  }

  static UpstreamResponse responseFinishingWith(String reason) {
    String body =
        "{\"id\":\"msg_x\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[{\"type\":\"text\","
            + "\"text\":\"Hi\"}],\"stop_reason\":\"" + reason + "\",\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}";
    return Fixtures.jsonResponse(200, body);
  }

  /** Every recorded {@code upstream.sse} of the anthropic fixtures. */
  static List<byte[]> recordedStreams() {
    return AnthropicFixtureTest.FIXTURES.recordedStreams();
  }

  static UpstreamResponse errorResponse(int status) {
    String type = switch (status) {
      case 400 -> "invalid_request_error";
      case 429 -> "rate_limit_error";
      case 529 -> "overloaded_error";
      default -> "api_error";
    };
    String body = "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"failure " + status + "\"}}";
    return Fixtures.jsonResponse(status, body);
  }

  /** Requests that touch every encoder branch. */
  static List<ChatRequest> requests() {
    var extra = new LinkedHashMap<String, RawJson>();
    extra.put("frequency_penalty", RawJson.of("0.5"));
    extra.put("reasoning", RawJson.of("{\"effort\":\"medium\"}"));
    extra.put("top_k", RawJson.of("5"));
    extra.put("provider", RawJson.of("{\"order\":[\"x\"]}"));
    List<Message> messages =
        List.of(
            Message.text(Role.SYSTEM, "Be brief."),
            Message.text(Role.DEVELOPER, "Really brief."),
            new Message(
                Role.USER,
                List.of(
                    new ContentPart.Text("Look"),
                    new ContentPart.Image("https://example.com/a.png", "low"),
                    new ContentPart.Image("data:image/jpeg;base64,/9j/4AAQ", null),
                    new ContentPart.File("a.pdf", "data:application/pdf;base64,JVBERi0x", null),
                    new ContentPart.Unknown("text", RawJson.of("{\"type\":\"text\",\"text\":\"cache me\",\"cache_control\":{\"type\":\"ephemeral\"}}"))),
                "ada",
                List.of(),
                null,
                null),
            new Message(
                Role.ASSISTANT,
                List.of(new ContentPart.Unknown("thinking", RawJson.of("{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"s\"}"))),
                null,
                List.of(new ToolCall("c1", "f", ""), new ToolCall("c2", "f", "{\"a\":1.50}")),
                null,
                "t"),
            new Message(Role.TOOL, List.of(new ContentPart.Text("ok")), null, List.of(), "c1", null),
            new Message(Role.TOOL, List.of(new ContentPart.Text("ok too")), null, List.of(), "c2", null));
    var full =
        new ChatRequest(
            "anthropic/claude-sonnet-4.5", List.of("anthropic/claude-haiku-4.5"), messages,
            List.of(new ToolSpec("f", "a function", RawJson.of("{\"type\":\"object\"}"), true)),
            new ToolChoice.Auto(), false, null, 0.5, 0.9, 42L, 100, List.of("END"), true, 2, "u1", true, true,
            ProviderPreferences.NONE, extra);
    var json =
        new ChatRequest(
            "anthropic/claude-sonnet-4.5", List.of(), List.of(Message.text(Role.USER, "JSON please")), List.of(),
            null, null, new ResponseFormat.JsonSchema("answer", "The answer", RawJson.of("{\"type\":\"object\"}"), true),
            null, null, null, null, List.of(), null, null, null, false, false, ProviderPreferences.NONE, Map.of());
    return List.of(
        ChatRequest.of("anthropic/claude-sonnet-4.5", List.of(Message.text(Role.USER, "Hello"))),
        full,
        json,
        full.withModel("anthropic/claude-opus-4.1"));
  }
}
