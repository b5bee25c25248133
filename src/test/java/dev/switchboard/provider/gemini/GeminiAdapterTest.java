package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.switchboard.provider.Capability;
import dev.switchboard.provider.Fixtures;
import dev.switchboard.provider.Framing;
import dev.switchboard.provider.ProviderAdapter;
import dev.switchboard.provider.ProviderAdapterContract;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import dev.switchboard.provider.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeminiAdapterTest implements ProviderAdapterContract {
  /** Every finish reason of the generativelanguage v1beta API, and one it may add later. */
  static final List<String> FINISH_REASONS =
      List.of(
          "FINISH_REASON_UNSPECIFIED", "STOP", "MAX_TOKENS", "SAFETY", "RECITATION", "LANGUAGE", "OTHER",
          "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "MALFORMED_FUNCTION_CALL", "IMAGE_SAFETY",
          "IMAGE_PROHIBITED_CONTENT", "IMAGE_OTHER", "NO_IMAGE", "IMAGE_RECITATION", "UNEXPECTED_TOOL_CALL",
          "TOO_MANY_TOOL_CALLS", "MISSING_THOUGHT_SIGNATURE", "MALFORMED_RESPONSE", "SOMETHING_NEW");

  private final GeminiAdapter adapter = GeminiAdapter.create();

  @Override
  public ProviderAdapter adapter() {
    return adapter;
  }

  @Override
  public Target target() {
    return new Target("gemini", "gemini-2.5-flash", GeminiAdapter.BASE_URL);
  }

  @Override
  public List<ChatRequest> sampleRequests() {
    var extra = new LinkedHashMap<String, RawJson>();
    extra.put("reasoning", RawJson.of("{\"effort\":\"low\",\"exclude\":false}"));
    extra.put("top_k", RawJson.of("32"));
    extra.put("metadata", RawJson.of("{\"a\":\"b\"}"));
    extra.put("provider", RawJson.of("{\"order\":[\"x\"]}"));
    List<Message> messages =
        List.of(
            Message.text(Role.SYSTEM, "Be brief."),
            Message.text(Role.DEVELOPER, "Use metric units."),
            new Message(
                Role.USER,
                List.of(
                    new ContentPart.Text("Look"),
                    new ContentPart.Image("https://example.com/a.png", "low"),
                    new ContentPart.Image("data:image/png;base64,AAAA", null),
                    new ContentPart.InputAudio("AAAA", "mp3"),
                    new ContentPart.File("a.pdf", "data:application/pdf;base64,AAAA", null)),
                "ada",
                List.of(),
                null,
                null),
            new Message(
                Role.ASSISTANT,
                List.of(new ContentPart.Text("Checking.")),
                null,
                List.of(new ToolCall("call_0__thought__AbCd", "f", ""), new ToolCall("c2", "f", "{\"x\":1}")),
                null,
                "why"),
            new Message(Role.TOOL, List.of(new ContentPart.Text("{\"ok\":true}")), null, List.of(), "call_0__thought__AbCd", null),
            new Message(Role.TOOL, List.of(new ContentPart.Text("done")), null, List.of(), "c2", null));
    var full =
        new ChatRequest(
            "google/gemini-2.5-flash", List.of(), messages,
            List.of(new ToolSpec("f", "a function", RawJson.of("{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"integer\"}},\"additionalProperties\":false}"), true)),
            new ToolChoice.Function("f"), true,
            new ResponseFormat.JsonSchema("s", null, RawJson.of("{\"type\":\"object\"}"), true),
            0.5, 0.9, 42L, 100, List.of("END"), true, 2, "u1", true, true, ProviderPreferences.NONE, extra);
    return List.of(
        ChatRequest.of("google/gemini-2.0-flash", List.of(Message.text(Role.USER, "Hello"))),
        full,
        full.withModel("google/gemini-2.5-pro"));
  }

  @Override
  public List<String> upstreamFinishReasons() {
    return FINISH_REASONS;
  }

  @Override
  public byte[] streamFinishingWith(String nativeReason) {
    String chunk = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"%s\"}],\"role\":\"model\"}%s,\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":1,\"candidatesTokenCount\":1,\"totalTokenCount\":2},"
        + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r\"}";
    String body = "data: " + chunk.formatted("Hi", "") + "\r\n\r\n"
        + "data: " + chunk.formatted("", ",\"finishReason\":\"" + nativeReason + "\"") + "\r\n\r\n";
    return body.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public UpstreamResponse responseFinishingWith(String nativeReason) {
    String body = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},\"finishReason\":\""
        + nativeReason + "\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":1,\"candidatesTokenCount\":1,"
        + "\"totalTokenCount\":2},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r\"}";
    return Fixtures.jsonResponse(200, body);
  }

  @Override
  public List<byte[]> sampleStreams() {
    return GeminiFixtureTest.FIXTURES.recordedStreams();
  }

  @Override
  public UpstreamResponse errorResponse(int status) {
    String rpcStatus =
        switch (status) {
          case 400 -> "INVALID_ARGUMENT";
          case 429 -> "RESOURCE_EXHAUSTED";
          case 500 -> "INTERNAL";
          case 503 -> "UNAVAILABLE";
          case 504 -> "DEADLINE_EXCEEDED";
          default -> "UNKNOWN";
        };
    String body = "{\"error\":{\"code\":" + status + ",\"message\":\"failure " + status + "\",\"status\":\"" + rpcStatus + "\"}}";
    return Fixtures.jsonResponse(status, body);
  }

  @Test
  void describesItself() {
    assertThat(adapter.kind()).isEqualTo("gemini");
    assertThat(adapter.framing()).isEqualTo(Framing.SSE);
    assertThat(adapter.capabilities()).contains(Capability.TOOLS, Capability.VISION, Capability.REASONING, Capability.JSON_SCHEMA)
        .doesNotContain(Capability.LOGPROBS);
    assertThat(GeminiAdapter.AUTH_HEADER).isEqualTo("x-goog-api-key");
  }

  @Test
  void namesTheModelResourceInThePath() {
    assertThat(GeminiAdapter.modelPath("gemini-2.5-flash")).isEqualTo("/models/gemini-2.5-flash");
    assertThat(GeminiAdapter.modelPath("models/gemini-2.5-flash")).isEqualTo("/models/gemini-2.5-flash");
    assertThat(GeminiAdapter.modelPath("/models/gemini-2.5-flash")).isEqualTo("/models/gemini-2.5-flash");
    assertThat(GeminiAdapter.modelPath("tunedModels/my-model-7")).isEqualTo("/tunedModels/my-model-7");

    ChatRequest hello = ChatRequest.of("m", List.of(Message.text(Role.USER, "Hi")));
    UpstreamRequest plain = adapter.encode(hello, target());
    assertThat(plain.path()).isEqualTo("/models/gemini-2.5-flash:generateContent");
    assertThat(plain.stream()).isFalse();
    ChatRequest streamed =
        new ChatRequest("m", List.of(), hello.messages(), List.of(), null, null, null, null, null, null, null, List.of(),
            null, null, null, true, false, ProviderPreferences.NONE, Map.of());
    UpstreamRequest stream = adapter.encode(streamed, target());
    assertThat(stream.path()).isEqualTo("/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assertThat(stream.stream()).isTrue();
    assertThat(new String(stream.body(), StandardCharsets.UTF_8))
        .as("streaming is chosen by the path, not by a body field")
        .isEqualTo(new String(plain.body(), StandardCharsets.UTF_8));
  }
}
