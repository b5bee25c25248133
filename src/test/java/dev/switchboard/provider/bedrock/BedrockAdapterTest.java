package dev.switchboard.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BedrockAdapterTest implements ProviderAdapterContract {
  /** Every stop reason Converse documents, plus one it may add. */
  static final List<String> STOP_REASONS = List.of(
      "end_turn", "tool_use", "max_tokens", "stop_sequence", "guardrail_intervened", "content_filtered",
      "malformed_model_output", "malformed_tool_use", "model_context_window_exceeded", "something_new");

  private final BedrockAdapter adapter = BedrockAdapter.create();

  @Override
  public ProviderAdapter adapter() {
    return adapter;
  }

  @Override
  public Target target() {
    return BedrockFixtureTest.target();
  }

  @Override
  public List<ChatRequest> sampleRequests() {
    return requests();
  }

  @Override
  public List<String> upstreamFinishReasons() {
    return STOP_REASONS;
  }

  @Override
  public byte[] streamFinishingWith(String nativeReason) {
    var body = new ByteArrayOutputStream();
    body.writeBytes(BedrockEventStreams.event("messageStart", "{\"role\":\"assistant\",\"p\":\"abc\"}"));
    body.writeBytes(BedrockEventStreams.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"));
    body.writeBytes(BedrockEventStreams.event("contentBlockStop", "{\"contentBlockIndex\":0}"));
    body.writeBytes(BedrockEventStreams.event("messageStop", "{\"stopReason\":\"" + nativeReason + "\"}"));
    body.writeBytes(BedrockEventStreams.event("metadata",
        "{\"usage\":{\"inputTokens\":1,\"outputTokens\":1,\"totalTokens\":2},\"metrics\":{\"latencyMs\":1}}"));
    return body.toByteArray();
  }

  @Override
  public UpstreamResponse responseFinishingWith(String nativeReason) {
    String body = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Hi\"}]}},\"stopReason\":\""
        + nativeReason + "\",\"usage\":{\"inputTokens\":1,\"outputTokens\":1,\"totalTokens\":2}}";
    return Fixtures.jsonResponse(200, body);
  }

  @Override
  public List<byte[]> sampleStreams() {
    return BedrockFixtureTest.FIXTURES.recordedStreams();
  }

  @Override
  public UpstreamResponse errorResponse(int status) {
    String type = switch (status) {
      case 400 -> "ValidationException";
      case 429 -> "ThrottlingException";
      case 500 -> "InternalServerException";
      case 503 -> "ServiceUnavailableException";
      default -> null; // 502, 504: a load balancer's answer, no AWS error type
    };
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    if (type != null) {
      headers.put("x-amzn-errortype", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    }
    String body = "{\"message\":\"failure " + status + "\"}";
    return new UpstreamResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Requests that touch every encoder branch that does not reject. */
  static List<ChatRequest> requests() {
    var extra = new LinkedHashMap<String, RawJson>();
    extra.put("reasoning", RawJson.of("{\"max_tokens\":2048}"));
    extra.put("top_k", RawJson.of("40"));
    List<Message> messages = List.of(
        Message.text(Role.DEVELOPER, "Be brief."),
        new Message(Role.USER, List.of(
            new ContentPart.Text("Look"),
            new ContentPart.Image("data:image/webp;base64,UklGRg==", "low"),
            new ContentPart.File("a.pdf", "data:application/pdf;base64,JVBERg==", null)), null, List.of(), null, null),
        new Message(Role.ASSISTANT, List.of(), null,
            List.of(new ToolCall("call_1", "lookup", "{\"q\":1}"), new ToolCall("call:2", "lookup", "")), null, "hm"),
        new Message(Role.TOOL, List.of(new ContentPart.Text("found")), null, List.of(), "call_1", null),
        new Message(Role.TOOL, List.of(), null, List.of(), "call:2", null));
    List<ToolSpec> tools = List.of(new ToolSpec("lookup", "Look up", RawJson.of("{\"type\":\"object\"}"), true));
    return List.of(
        ChatRequest.of("m", List.of(Message.text(Role.USER, "hi"))),
        new ChatRequest("anthropic/claude", List.of(), messages, tools, new ToolChoice.Required(), true,
            new ResponseFormat.JsonSchema("answer", "The answer", RawJson.of("{\"type\":\"object\"}"), true),
            0.3, 0.8, 5L, 4096, List.of("END"), true, 2, "u", true, true, ProviderPreferences.NONE, extra),
        new ChatRequest("x", List.of(), messages, tools, new ToolChoice.None(), null, new ResponseFormat.JsonObject(),
            null, null, null, null, List.of(), null, null, null, false, false, ProviderPreferences.NONE, Map.of()));
  }

  private UpstreamRequest encode(ChatRequest request) {
    return adapter.encode(request, target());
  }

  @Test
  void describesItselfAsTheBedrockKindOverAwsEventStreams() {
    assertThat(adapter.kind()).isEqualTo("bedrock");
    assertThat(adapter.framing()).isEqualTo(Framing.AWS_EVENT_STREAM);
    assertThat(adapter.capabilities())
        .contains(Capability.STREAM, Capability.TOOLS, Capability.VISION, Capability.DOCUMENTS, Capability.JSON_SCHEMA,
            Capability.REASONING)
        .doesNotContain(Capability.AUDIO, Capability.LOGPROBS, Capability.SEED, Capability.CACHING);
  }

  @Test
  void putsTheEscapedModelIdInThePath() {
    ChatRequest request = ChatRequest.of("anthropic/claude-3.5-sonnet", List.of(Message.text(Role.USER, "hi")));

    UpstreamRequest plain = encode(request);
    UpstreamRequest streamed = adapter.encode(
        new ChatRequest("m", List.of(), request.messages(), List.of(), null, null, null, null, null, null, null,
            List.of(), null, null, null, true, true, ProviderPreferences.NONE, Map.of()),
        new Target("bedrock", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-3-70b-instruct-v1:0",
            BedrockAdapter.baseUrl("us-east-1")));

    assertThat(plain.path()).isEqualTo("/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse");
    assertThat(plain.headers()).isEmpty();
    assertThat(streamed.path()).isEqualTo(
        "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.meta.llama3-3-70b-instruct-v1%3A0"
            + "/converse-stream");
    assertThat(streamed.headers()).containsEntry("accept", "application/vnd.amazon.eventstream");
    assertThat(BedrockAdapter.path("a b~é", false)).isEqualTo("/model/a%20b~%C3%A9/converse");
  }

  @Test
  void knowsEachRegionsEndpoint() {
    assertThat(BedrockAdapter.baseUrl("eu-central-1")).isEqualTo("https://bedrock-runtime.eu-central-1.amazonaws.com");
    assertThatThrownBy(() -> BedrockAdapter.baseUrl("evil.example.com/x")).isInstanceOf(IllegalArgumentException.class);
  }
}
