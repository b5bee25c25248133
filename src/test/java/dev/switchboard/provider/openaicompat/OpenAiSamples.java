package dev.switchboard.provider.openaicompat;

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
import dev.switchboard.provider.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;

/** Samples of the OpenAI wire format for the adapter contract, shared by the OpenAI-family tests. */
public final class OpenAiSamples {
  /** Every finish reason OpenAI documents, plus the ones compatible servers are known to send. */
  public static final List<String> FINISH_REASONS =
      List.of(
          "stop", "length", "tool_calls", "content_filter", "function_call", "error", "eos", "model_length",
          "end_turn", "max_tokens", "tool_use", "something_new");

  private OpenAiSamples() {}

  public static byte[] streamFinishingWith(String reason) {
    String chunk =
        "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[%s]}";
    String body =
        "data: " + chunk.formatted("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}")
            + "\n\n"
            + "data: " + chunk.formatted("{\"index\":0,\"delta\":{},\"finish_reason\":\"" + reason + "\"}")
            + "\n\n"
            + "data: [DONE]\n\n";
    return body.getBytes(StandardCharsets.UTF_8);
  }

  public static UpstreamResponse responseFinishingWith(String reason) {
    String body =
        "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":\"" + reason + "\"}],"
            + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";
    return Fixtures.jsonResponse(200, body);
  }

  /** Every recorded {@code upstream.sse} of the OpenAI-family fixtures. */
  public static List<byte[]> recordedStreams() {
    return OpenAiCompatFixtureTest.FIXTURES.recordedStreams();
  }

  public static boolean isOpenAiFamily(String provider) {
    return OpenAiCompatProfiles.load().find(provider).isPresent();
  }

  public static UpstreamResponse errorResponse(int status) {
    String body = "{\"error\":{\"message\":\"failure " + status + "\",\"type\":\"error\",\"param\":null,\"code\":null}}";
    return Fixtures.jsonResponse(status, body);
  }

  /** Requests that touch every encoder branch. */
  public static List<ChatRequest> requests() {
    var extra = new LinkedHashMap<String, RawJson>();
    extra.put("frequency_penalty", RawJson.of("0.5"));
    extra.put("metadata", RawJson.of("{\"a\":\"b\"}"));
    extra.put("logit_bias", RawJson.of("{\"1\":2}"));
    extra.put("provider", RawJson.of("{\"order\":[\"x\"]}"));
    List<Message> messages =
        List.of(
            Message.text(Role.DEVELOPER, "Be brief."),
            new Message(
                Role.USER,
                List.of(
                    new ContentPart.Text("Look"),
                    new ContentPart.Image("https://example.com/a.png", "low"),
                    new ContentPart.InputAudio("AAAA", "mp3"),
                    new ContentPart.File("a.pdf", "data:application/pdf;base64,AAAA", null),
                    new ContentPart.Unknown("x", RawJson.of("{\"type\":\"x\"}"))),
                "ada",
                List.of(),
                null,
                null),
            new Message(Role.ASSISTANT, List.of(), null, List.of(new ToolCall("c1", "f", "")), null, "why"),
            new Message(Role.TOOL, List.of(new ContentPart.Text("ok")), null, List.of(), "c1", null));
    var full =
        new ChatRequest(
            "openai/gpt-4o", List.of("openai/gpt-4o-mini"), messages,
            List.of(new ToolSpec("f", "a function", RawJson.of("{\"type\":\"object\"}"), true)),
            new ToolChoice.Function("f"), true,
            new ResponseFormat.JsonSchema("s", null, RawJson.of("{\"type\":\"object\"}"), true),
            0.5, 0.9, 42L, 100, List.of("END"), true, 2, "u1", true, true, ProviderPreferences.NONE, extra);
    return List.of(
        ChatRequest.of("openai/gpt-4o", List.of(Message.text(Role.USER, "Hello"))),
        full,
        full.withModel("openai/o3"));
  }
}
