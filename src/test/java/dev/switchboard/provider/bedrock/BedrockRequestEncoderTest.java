package dev.switchboard.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Message;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ResponseFormat;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.ToolChoice;
import dev.switchboard.core.ToolSpec;
import dev.switchboard.provider.AnswerTool;
import dev.switchboard.provider.CanonicalJson;
import dev.switchboard.provider.Target;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The encoder's branches that the golden fixtures do not pin: choices, reasoning rules, rejections. */
class BedrockRequestEncoderTest {
  private static final String CLAUDE = "us.anthropic.claude-sonnet-4-20250514-v1:0";
  private static final List<ToolSpec> TOOLS = List.of(new ToolSpec("lookup", null, null, null));
  private static final List<Message> HELLO = List.of(Message.text(Role.USER, "hi"));

  private static ChatRequest request(
      List<Message> messages, List<ToolSpec> tools, @Nullable ToolChoice choice, @Nullable ResponseFormat format,
      @Nullable Integer maxTokens, Map<String, RawJson> extra) {
    return new ChatRequest("m", List.of(), messages, tools, choice, null, format, null, null, null, maxTokens,
        List.of(), null, null, null, false, false, ProviderPreferences.NONE, extra);
  }

  private static JsonNode encode(ChatRequest request, String modelId) {
    byte[] body = BedrockAdapter.create()
        .encode(request, new Target("bedrock", modelId, BedrockAdapter.baseUrl("us-east-1"))).body();
    return CanonicalJson.parse(new String(body, StandardCharsets.UTF_8));
  }

  private static JsonNode encode(ChatRequest request) {
    return encode(request, CLAUDE);
  }

  private static Map<String, RawJson> reasoning(String json) {
    return Map.of("reasoning", RawJson.of(json));
  }

  @Test
  void mapsEachToolChoice() {
    assertThat(encode(request(HELLO, TOOLS, new ToolChoice.Required(), null, null, Map.of()))
        .at("/toolConfig/toolChoice").toString()).isEqualTo("{\"any\":{}}");
    assertThat(encode(request(HELLO, TOOLS, new ToolChoice.Function("lookup"), null, null, Map.of()))
        .at("/toolConfig/toolChoice").toString()).isEqualTo("{\"tool\":{\"name\":\"lookup\"}}");
    assertThat(encode(request(HELLO, TOOLS, null, null, null, Map.of())).at("/toolConfig").has("toolChoice")).isFalse();
  }

  @Test
  void noneLeavesTheToolsOutUnlessTheConversationUsedThem() {
    assertThat(encode(request(HELLO, TOOLS, new ToolChoice.None(), null, null, Map.of())).has("toolConfig")).isFalse();

    List<Message> used = List.of(
        Message.text(Role.USER, "hi"),
        new Message(Role.ASSISTANT, List.of(), null, List.of(new ToolCall("c1", "lookup", "{}")), null, null),
        new Message(Role.TOOL, List.of(new ContentPart.Text("ok")), null, List.of(), "c1", null));
    JsonNode config = encode(request(used, TOOLS, new ToolChoice.None(), null, null, Map.of())).get("toolConfig");

    assertThat(config.at("/tools/0/toolSpec/name").asText()).isEqualTo("lookup");
    assertThat(config.has("toolChoice")).as("Converse has no 'none'; no choice is the closest").isFalse();
  }

  @Test
  void aConversationWithToolBlocksButNoToolsDeclaresTheToolsItUsed() {
    List<Message> used = List.of(
        Message.text(Role.USER, "hi"),
        new Message(Role.ASSISTANT, List.of(), null, List.of(new ToolCall("c1", "search", "{}")), null, null),
        new Message(Role.TOOL, List.of(new ContentPart.Text("ok")), null, List.of(), "c1", null),
        Message.text(Role.USER, "so?"));
    List<Message> orphanResult = List.of(
        new Message(Role.TOOL, List.of(new ContentPart.Text("ok")), null, List.of(), "c1", null));

    assertThat(encode(request(used, List.of(), null, null, null, Map.of())).at("/toolConfig/tools").toString())
        .isEqualTo("[{\"toolSpec\":{\"name\":\"search\",\"inputSchema\":{\"json\":{\"type\":\"object\",\"properties\":{}}}}}]");
    assertThat(encode(request(orphanResult, List.of(), null, null, null, Map.of())).at("/toolConfig/tools/0/toolSpec/name")
        .asText()).isEqualTo("tool");
  }

  @Test
  void jsonModeForcesTheGenericAnswerTool() {
    JsonNode config = encode(request(HELLO, TOOLS, new ToolChoice.Auto(), new ResponseFormat.JsonObject(), null, Map.of()))
        .get("toolConfig");

    assertThat(config.at("/tools/1/toolSpec/name").asText()).isEqualTo("json_answer");
    assertThat(config.at("/tools/1/toolSpec/inputSchema/json").toString()).isEqualTo("{\"type\":\"object\"}");
    assertThat(config.get("toolChoice").toString()).isEqualTo("{\"tool\":{\"name\":\"json_answer\"}}");
    assertThat(AnswerTool.name("my schema/v2!" + "x".repeat(80))).hasSize(64).startsWith("json_answer_my_schema_v2_");
  }

  @Test
  void whileThinkingTheAnswerToolIsOnlyOffered() {
    var format = new ResponseFormat.JsonSchema("person", null, null, null);
    JsonNode body = encode(request(HELLO, List.of(), null, format, null, reasoning("{\"effort\":\"low\"}")));

    assertThat(body.at("/toolConfig/toolChoice").toString()).isEqualTo("{\"auto\":{}}");
    assertThat(body.at("/additionalModelRequestFields/thinking/budget_tokens").asInt()).isEqualTo(6400);
    assertThat(body.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(32_000);
  }

  @Test
  void thinkingBudgetsFollowOpenRoutersFormula() {
    assertThat(thinking(reasoning("{}"), 10_000)).isEqualTo(new BedrockThinking(5_000, 10_000));
    assertThat(thinking(reasoning("{\"effort\":\"minimal\"}"), 4_000)).isEqualTo(new BedrockThinking(1_024, 4_000));
    assertThat(thinking(reasoning("{\"effort\":\"xhigh\"}"), 200_000)).isEqualTo(new BedrockThinking(128_000, 200_000));
    assertThat(thinking(reasoning("{\"enabled\":true}"), null)).isEqualTo(new BedrockThinking(16_000, 32_000));
    assertThat(thinking(Map.of("reasoning_effort", RawJson.of("\"high\"")), 10_000))
        .isEqualTo(new BedrockThinking(8_000, 10_000));
    assertThat(thinking(reasoning("{\"max_tokens\":40000}"), null))
        .as("an explicit budget larger than the default leaves room for the answer")
        .isEqualTo(new BedrockThinking(40_000, 72_000));
    assertThat(thinking(reasoning("{\"max_tokens\":100}"), 5_000)).isEqualTo(new BedrockThinking(1_024, 5_000));
  }

  @Test
  void noThinkingWhenNotAskedSwitchedOffOrNotClaude() {
    assertThat(thinking(Map.of(), 1_000)).isNull();
    assertThat(thinking(reasoning("{\"exclude\":true}"), 1_000)).isNull();
    assertThat(thinking(reasoning("{\"effort\":\"none\"}"), 1_000)).isNull();
    assertThat(thinking(reasoning("{\"enabled\":false,\"effort\":\"high\"}"), 1_000)).isNull();
    assertThat(thinking(reasoning("\"high\""), 1_000)).isNull();
    ChatRequest asked = request(HELLO, List.of(), null, null, 1_000, reasoning("{\"effort\":\"high\"}"));
    assertThat(BedrockThinking.requested(asked, "amazon.nova-pro-v1:0")).isNull();
    assertThat(encode(asked, "amazon.nova-pro-v1:0").has("additionalModelRequestFields")).isFalse();
  }

  @Test
  void thinkingIsLeftOffWhereClaudeWouldRefuseIt() {
    Map<String, RawJson> low = reasoning("{\"effort\":\"low\"}");
    ToolCall call = new ToolCall("c1", "lookup", "{}");
    String signed = "{\"reasoningContent\":{\"reasoningText\":{\"text\":\"hm\",\"signature\":\"c2ln\"}}}";
    List<Message> unsignedLoop = List.of(Message.text(Role.USER, "hi"),
        new Message(Role.ASSISTANT, List.of(), null, List.of(call), null, "hm"),
        new Message(Role.TOOL, List.of(new ContentPart.Text("ok")), null, List.of(), "c1", null));
    List<Message> signedLoop = List.of(Message.text(Role.USER, "hi"),
        new Message(Role.ASSISTANT, List.of(new ContentPart.Unknown("reasoningContent", RawJson.of(signed))), null,
            List.of(call), null, "hm"),
        new Message(Role.TOOL, List.of(new ContentPart.Text("ok")), null, List.of(), "c1", null),
        Message.text(Role.USER, "and?"));

    JsonNode forced = encode(request(HELLO, TOOLS, new ToolChoice.Required(), null, null, low));
    JsonNode unsigned = encode(request(unsignedLoop, TOOLS, null, null, null, low));
    JsonNode kept = encode(request(signedLoop, TOOLS, null, null, null, low));
    JsonNode answerTool = encode(request(HELLO, TOOLS, new ToolChoice.Required(),
        new ResponseFormat.JsonObject(), null, low));

    assertThat(forced.has("additionalModelRequestFields")).isFalse();
    assertThat(forced.at("/toolConfig/toolChoice").toString()).isEqualTo("{\"any\":{}}");
    assertThat(unsigned.has("additionalModelRequestFields")).isFalse();
    assertThat(kept.at("/additionalModelRequestFields/thinking/type").asText()).isEqualTo("enabled");
    assertThat(kept.at("/messages/1/content/0").toString()).isEqualTo(signed);
    assertThat(answerTool.at("/additionalModelRequestFields/thinking/type").asText())
        .as("the answer tool is only offered while thinking; the client's choice is not sent")
        .isEqualTo("enabled");
  }

  @Test
  void aTemperatureAboveConversesRangeIsSentAsItsMaximum() {
    ChatRequest hot = new ChatRequest("m", List.of(), HELLO, List.of(), null, null, null, 1.7, null, null, null,
        List.of(), null, null, null, false, false, ProviderPreferences.NONE, Map.of());

    assertThat(encode(hot).at("/inferenceConfig/temperature").asDouble()).isEqualTo(1.0);
  }

  @Test
  void aMaxTokensTooSmallForTheBudgetIsABadRequest() {
    ChatRequest request = request(HELLO, List.of(), null, null, 1_000, reasoning("{\"effort\":\"low\"}"));

    assertThatThrownBy(() -> encode(request))
        .isInstanceOfSatisfying(GatewayException.InvalidRequest.class, e -> {
          assertThat(e.param()).isEqualTo("max_tokens");
          assertThat(e.getMessage()).contains("(1000)").contains("1024");
        });
  }

  private static @Nullable BedrockThinking thinking(Map<String, RawJson> extra, @Nullable Integer maxTokens) {
    return BedrockThinking.requested(request(HELLO, List.of(), null, null, maxTokens, extra), CLAUDE);
  }

  @Test
  void rejectsWhatConverseCannotCarryNamingThePart() {
    assertRejected(user(new ContentPart.InputAudio("AAAA", "wav")), "messages[0].content[0]", "audio");
    assertRejected(user(new ContentPart.File("a.pdf", null, "file-abc")), "messages[0].content[0].file.file_id", "file ids");
    assertRejected(user(new ContentPart.Image("data:image/svg+xml;base64,PHN2Zz4=", null)),
        "messages[0].content[0].image_url.url", "not image/svg+xml");
    assertRejected(user(new ContentPart.Image("data:image/png,rawbytes", null)),
        "messages[0].content[0].image_url.url", "base64");
    assertRejected(user(new ContentPart.File("x.bin", "data:application/octet-stream;base64,AA==", null)),
        "messages[0].content[0].file.file_data", "not application/octet-stream");
    assertRejected(user(new ContentPart.Unknown("video_url", RawJson.of("{\"type\":\"video_url\"}"))),
        "messages[0].content[0]", "'video_url'");
    assertRejected(List.of(new Message(Role.TOOL, List.of(new ContentPart.Text("x")), null, List.of(), null, null)),
        "messages[0].tool_call_id", "tool call");
    assertRejected(List.of(Message.text(Role.USER, "hi"),
            new Message(Role.ASSISTANT, List.of(), null, List.of(new ToolCall("c", "f", "[1,2]")), null, null)),
        "messages[1].tool_calls[0].function.arguments", "JSON object");
  }

  private static List<Message> user(ContentPart part) {
    return List.of(new Message(Role.USER, List.of(part), null, List.of(), null, null));
  }

  private static void assertRejected(List<Message> messages, String param, String text) {
    assertThatThrownBy(() -> encode(request(messages, List.of(), null, null, null, Map.of())))
        .isInstanceOfSatisfying(GatewayException.InvalidRequest.class, e -> {
          assertThat(e.param()).isEqualTo(param);
          assertThat(e.getMessage()).contains(text);
        });
  }

  @Test
  void anImageSentAsAFileIsAnImageAndAssistantOnlyPartsAreDropped() {
    List<Message> messages = List.of(
        new Message(Role.USER, List.of(new ContentPart.File("p.png", "data:image/png;base64,iVBO", null)), null,
            List.of(), null, null),
        new Message(Role.ASSISTANT, List.of(new ContentPart.Unknown("server_tool_use", RawJson.of("{}")),
            new ContentPart.Text("ok")), null, List.of(), null, null),
        new Message(Role.ASSISTANT, List.of(new ContentPart.Unknown("citations", RawJson.of("{}"))), null,
            List.of(), null, null));

    JsonNode body = encode(request(messages, List.of(), null, null, null, Map.of()));

    assertThat(body.get("messages").toString()).isEqualTo(
        "[{\"role\":\"user\",\"content\":[{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"iVBO\"}}}]},"
            + "{\"role\":\"assistant\",\"content\":[{\"text\":\"ok\"}]}]");
  }

  @Test
  void documentNamesKeepOnlyWhatBedrockAllows() {
    assertThat(BedrockContentBlocks.documentName("Q3 report_final (v2).pdf")).isEqualTo("Q3 report final (v2)");
    assertThat(BedrockContentBlocks.documentName("....")).isEqualTo("document");
    assertThat(BedrockContentBlocks.documentName("über  größe.txt")).isEqualTo("ber gr e");
    assertThat(BedrockContentBlocks.documentName(null)).isEqualTo("document");
  }
}
