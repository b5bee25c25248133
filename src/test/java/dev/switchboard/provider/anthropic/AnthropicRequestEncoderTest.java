package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.Role;
import dev.switchboard.provider.CanonicalJson;
import dev.switchboard.provider.Fixtures;
import dev.switchboard.provider.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Encoder behaviour the golden fixtures do not pin down, one rule per test. */
class AnthropicRequestEncoderTest {
  private static final AnthropicAdapter ADAPTER = AnthropicAdapter.create();

  /** Encodes a request given in the fixtures' canonical JSON form; checks Anthropic's rules too. */
  private static JsonNode encode(String canonicalRequest) {
    return encode(CanonicalJson.readRequest(CanonicalJson.parse(canonicalRequest)));
  }

  private static JsonNode encode(ChatRequest request) {
    JsonNode body = CanonicalJson.parse(text(ADAPTER.encode(request, AnthropicSamples.target()).body()));
    assertThat(AnthropicRequestRules.violations(body)).as("%s", body).isEmpty();
    return body;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String ask(String extraFields) {
    return "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]" + extraFields + "}";
  }

  @Test
  void aThinkingBlockFromAResponseGoesBackVerbatimOnTheNextTurn() {
    Fixtures.Fixture fixture = Fixtures.having("anthropic"::equals, "upstream-response.json").filter(f -> f.name().equals("reasoning"))
        .findFirst().orElseThrow();
    ChatResponse response = ADAPTER.decode(
        new UpstreamResponse(200, Map.of(), fixture.bytes("upstream-response.json")), AnthropicSamples.target());
    var messages = new ArrayList<Message>();
    messages.add(Message.text(Role.USER, "Is 1009 prime?"));
    messages.add(response.first().message());
    messages.add(Message.text(Role.USER, "And 1011?"));

    String body = text(ADAPTER.encode(ChatRequest.of("m", messages), AnthropicSamples.target()).body());

    JsonNode assistant = CanonicalJson.parse(body).path("messages").get(1);
    JsonNode recorded = CanonicalJson.parse(fixture.read("upstream-response.json")).path("content");
    assertThat(assistant.path("content")).isEqualTo(recorded);
    assertThat(body).contains(
        "{\"type\": \"thinking\", \"thinking\": \"The tool says 1009 is prime.\", \"signature\": "
            + "\"WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL\"}");
  }

  @Test
  void thinkingPartsAnthropicWouldRejectAreLeftOutLikeUnsignedReasoning() {
    JsonNode body = encode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"},"
        + "{\"role\":\"assistant\",\"reasoning\":\"r\",\"content\":["
        + "{\"type\":\"unknown\",\"partType\":\"thinking\",\"raw\":{\"type\":\"thinking\",\"thinking\":\"no signature\"}},"
        + "{\"type\":\"unknown\",\"partType\":\"thinking\",\"raw\":{\"type\":\"thought\",\"text\":\"another adapter's\"}},"
        + "{\"type\":\"unknown\",\"partType\":\"redacted_thinking\",\"raw\":{\"type\":\"redacted_thinking\",\"data\":\"abc\"}},"
        + "{\"type\":\"text\",\"text\":\"Answer.\"}]},{\"role\":\"user\",\"content\":\"more\"}]}");

    assertThat(body.path("messages").get(1).path("content"))
        .isEqualTo(CanonicalJson.parse("[{\"type\":\"redacted_thinking\",\"data\":\"abc\"},{\"type\":\"text\",\"text\":\"Answer.\"}]"));
  }

  @Test
  void toolArgumentsAndSchemasKeepTheirExactText() {
    String body = text(ADAPTER.encode(AnthropicSamples.requests().get(1), AnthropicSamples.target()).body());

    assertThat(body).contains("\"input\":{\"a\":1.50}").contains("\"input\":{}");
  }

  @Test
  void reasoningEffortBecomesABudgetWithinAnthropicsLimits() {
    JsonNode low = encode(ask(",\"maxTokens\":1000,\"extra\":{\"reasoning\":{\"effort\":\"low\"}}"));
    assertThat(low.path("thinking").path("budget_tokens").asInt()).isEqualTo(1024);
    assertThat(low.path("max_tokens").asInt()).isEqualTo(2024);
    assertThat(encode(ask(",\"maxTokens\":64000,\"extra\":{\"reasoning\":{\"effort\":\"xhigh\"}}")).path("thinking").path("budget_tokens").asInt())
        .isEqualTo(32000);
    assertThat(encode(ask(",\"extra\":{\"reasoning_effort\":\"medium\"}")).path("thinking").path("budget_tokens").asInt())
        .isEqualTo(2048);
    assertThat(encode(ask(",\"extra\":{\"reasoning\":{\"enabled\":true}}")).path("thinking").path("budget_tokens").asInt())
        .isEqualTo(2048);
    assertThat(encode(ask(",\"extra\":{\"reasoning\":{\"effort\":\"minimal\"}}")).path("thinking").path("budget_tokens").asInt())
        .isEqualTo(1024);
  }

  @Test
  void anExplicitReasoningBudgetIsKeptAndMaxTokensMadeRoomFor() {
    JsonNode small = encode(ask(",\"extra\":{\"reasoning\":{\"max_tokens\":3000}}"));
    JsonNode large = encode(ask(",\"extra\":{\"reasoning\":{\"max_tokens\":5000}}"));
    JsonNode tiny = encode(ask(",\"extra\":{\"reasoning\":{\"max_tokens\":10}}"));

    assertThat(small.path("thinking").path("budget_tokens").asInt()).isEqualTo(3000);
    assertThat(small.path("max_tokens").asInt()).isEqualTo(4096);
    assertThat(large.path("max_tokens").asInt()).isEqualTo(9096);
    assertThat(tiny.path("thinking").path("budget_tokens").asInt()).isEqualTo(1024);
  }

  @Test
  void reasoningThatIsOffSendsNoThinking() {
    for (String extra : List.of(
        "{\"reasoning\":{\"effort\":\"none\"}}", "{\"reasoning\":{\"enabled\":false,\"effort\":\"high\"}}",
        "{\"reasoning\":{\"exclude\":true}}", "{\"reasoning\":{}}", "{\"include_reasoning\":true}",
        "{\"thinking\":{\"type\":\"disabled\"}}")) {
      JsonNode body = encode(ask(",\"temperature\":0.3,\"extra\":" + extra));
      assertThat(body.has("thinking")).as(extra).isFalse();
      assertThat(body.path("temperature").asDouble()).as(extra).isEqualTo(0.3);
    }
  }

  @Test
  void aClientsOwnThinkingObjectIsSentAsItIs() {
    JsonNode adaptive = encode(ask(",\"extra\":{\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"high\"}}"));
    JsonNode budget = encode(ask(",\"extra\":{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":10000},\"reasoning\":{\"effort\":\"low\"}}"));

    assertThat(adaptive.path("thinking")).isEqualTo(CanonicalJson.parse("{\"type\":\"adaptive\"}"));
    assertThat(adaptive.path("output_config")).isEqualTo(CanonicalJson.parse("{\"effort\":\"high\"}"));
    assertThat(budget.path("thinking").path("budget_tokens").asInt()).isEqualTo(10000);
    assertThat(budget.path("max_tokens").asInt()).isEqualTo(14096);
  }

  @Test
  void thinkingLimitsSamplingWhenOn() {
    JsonNode highTopP = encode(ask(",\"temperature\":0.2,\"topP\":0.97,\"extra\":{\"top_k\":3,\"reasoning\":{\"effort\":\"high\"}}"));
    JsonNode lowTopP = encode(ask(",\"topP\":0.5,\"extra\":{\"reasoning\":{\"effort\":\"high\"}}"));

    assertThat(highTopP.has("thinking")).isTrue();
    assertThat(highTopP.has("temperature")).isFalse();
    assertThat(highTopP.has("top_k")).isFalse();
    assertThat(highTopP.path("top_p").asDouble()).isEqualTo(0.97);
    assertThat(lowTopP.has("top_p")).isFalse();
  }

  @Test
  void forcedToolUseLeavesThinkingOff() {
    JsonNode body = encode(ask(",\"tools\":[{\"name\":\"f\"}],\"toolChoice\":{\"function\":\"f\"},"
        + "\"temperature\":0.4,\"extra\":{\"reasoning\":{\"effort\":\"high\"}}"));

    assertThat(body.has("thinking")).isFalse();
    assertThat(body.path("max_tokens").asInt()).isEqualTo(4096);
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.4);
    assertThat(body.path("tool_choice")).isEqualTo(CanonicalJson.parse("{\"type\":\"tool\",\"name\":\"f\"}"));
  }

  @Test
  void aToolLoopWhoseAssistantTurnHasNoThinkingBlockLeavesThinkingOff() {
    String loop = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"},"
        + "{\"role\":\"assistant\",\"reasoning\":\"unsigned\",\"content\":[],\"toolCalls\":[{\"id\":\"t1\",\"name\":\"f\",\"arguments\":\"{}\"}]},"
        + "{\"role\":\"tool\",\"toolCallId\":\"t1\",\"content\":\"done\"}%s],"
        + "\"tools\":[{\"name\":\"f\"}],\"extra\":{\"reasoning\":{\"effort\":\"high\"}}}";

    assertThat(encode(loop.formatted("")).has("thinking")).isFalse();
    // Once the user speaks again the loop is closed and thinking may come back.
    assertThat(encode(loop.formatted(",{\"role\":\"assistant\",\"content\":\"ok\"},{\"role\":\"user\",\"content\":\"next\"}")).has("thinking"))
        .isTrue();
  }

  @Test
  void toolChoiceMapsToAnthropicsObject() {
    String tools = ",\"tools\":[{\"name\":\"f\"}]";
    assertThat(encode(ask(tools + ",\"toolChoice\":\"none\",\"parallelToolCalls\":false")).path("tool_choice"))
        .isEqualTo(CanonicalJson.parse("{\"type\":\"none\"}"));
    assertThat(encode(ask(tools + ",\"toolChoice\":\"required\",\"parallelToolCalls\":false")).path("tool_choice"))
        .isEqualTo(CanonicalJson.parse("{\"type\":\"any\",\"disable_parallel_tool_use\":true}"));
    assertThat(encode(ask(tools + ",\"parallelToolCalls\":false")).path("tool_choice"))
        .isEqualTo(CanonicalJson.parse("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
    assertThat(encode(ask(tools + ",\"parallelToolCalls\":true")).has("tool_choice")).isFalse();
    assertThat(encode(ask(",\"toolChoice\":\"required\"")).has("tool_choice")).as("no tools, no tool_choice").isFalse();
  }

  @Test
  void aJsonAnswerYieldsToAToolTheClientForces() {
    JsonNode body = encode(ask(",\"tools\":[{\"name\":\"f\"}],\"toolChoice\":{\"function\":\"f\"},"
        + "\"responseFormat\":{\"type\":\"json_schema\",\"name\":\"out\",\"schema\":{\"type\":\"object\"}}"));

    assertThat(body.path("tool_choice")).isEqualTo(CanonicalJson.parse("{\"type\":\"tool\",\"name\":\"f\"}"));
    assertThat(body.path("tools").get(1).path("name").asText()).isEqualTo("json_answer_out");
  }

  @Test
  void toolResultsLeadTheirUserTurnWhateverTheOrderTheyCameIn() {
    JsonNode body = encode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"},"
        + "{\"role\":\"assistant\",\"content\":[],\"toolCalls\":[{\"id\":\"t1\",\"name\":\"f\",\"arguments\":\"\"}]},"
        + "{\"role\":\"user\",\"content\":\"(also this)\"},"
        + "{\"role\":\"tool\",\"toolCallId\":\"t1\",\"content\":[]}]}");

    JsonNode turn = body.path("messages").get(2).path("content");
    assertThat(turn.get(0)).isEqualTo(CanonicalJson.parse("{\"type\":\"tool_result\",\"tool_use_id\":\"t1\"}"));
    assertThat(turn.get(1).path("text").asText()).isEqualTo("(also this)");
  }

  @Test
  void partsFromOtherDialectsAreCarriedAsFarAsTheyCanBe() {
    JsonNode body = encode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"unknown\",\"partType\":\"refusal\",\"raw\":{\"type\":\"refusal\",\"refusal\":\"I can't.\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"unknown\",\"partType\":\"search_result\",\"raw\":{\"type\":\"search_result\",\"source\":\"s\",\"title\":\"t\",\"content\":[]}}]}]}");

    assertThat(body.path("messages").get(1).path("content").get(0)).isEqualTo(CanonicalJson.parse("{\"type\":\"text\",\"text\":\"I can't.\"}"));
    assertThat(body.path("messages").get(2).path("content").get(0).path("type").asText()).isEqualTo("search_result");
  }

  @Test
  void aLongUserIdIsSentAsItsHash() {
    String id = "u".repeat(300);
    String sent = encode(ask(",\"user\":\"" + id + "\"")).path("metadata").path("user_id").asText();

    assertThat(sent).hasSize(64).matches("[0-9a-f]+");
    assertThat(encode(ask(",\"user\":\"" + id + "\"")).path("metadata").path("user_id").asText()).isEqualTo(sent);
  }

  @Test
  void topPGoesOnlyWithoutATemperature() {
    assertThat(encode(ask(",\"topP\":0.8")).path("top_p").asDouble()).isEqualTo(0.8);
    assertThat(encode(ask(",\"topP\":0.8,\"temperature\":0")).has("top_p")).isFalse();
  }

  @Test
  void whatAnthropicCannotTakeIsABadRequestNamingThePart() {
    List<String> bad = List.of(
        "[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\",\"data\":\"AAAA\",\"format\":\"mp3\"}]}]",
        "[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"fileId\":\"file-abc\"}]}]",
        "[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"fileData\":\"data:application/zip;base64,UEsDBA==\"}]}]",
        "[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"url\":\"data:image/png,notbase64\"}]}]",
        "[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"url\":\"ftp://example.com/a.png\"}]}]",
        "[{\"role\":\"system\",\"content\":[{\"type\":\"image\",\"url\":\"https://example.com/a.png\"}]}]",
        "[{\"role\":\"assistant\",\"content\":[],\"toolCalls\":[{\"id\":\"t\",\"name\":\"f\",\"arguments\":\"[1,2]\"}]}]",
        "[{\"role\":\"assistant\",\"content\":[],\"toolCalls\":[{\"id\":\"t\",\"name\":\"f\",\"arguments\":\"{\\\"a\\\":\"}]}]");
    for (String messages : bad) {
      ChatRequest request = CanonicalJson.readRequest(CanonicalJson.parse("{\"model\":\"m\",\"messages\":" + messages + "}"));
      assertThatThrownBy(() -> ADAPTER.encode(request, AnthropicSamples.target()))
          .as(messages)
          .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.getMessage()).startsWith("messages[0]"));
    }
    ChatRequest effort = CanonicalJson.readRequest(CanonicalJson.parse(ask(",\"extra\":{\"reasoning\":{\"effort\":\"extreme\"}}")));
    assertThatThrownBy(() -> ADAPTER.encode(effort, AnthropicSamples.target()))
        .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.param()).isEqualTo("reasoning.effort"));
  }

  @Test
  void anAdapterMayDefaultToAnotherMaxTokens() {
    JsonNode body = CanonicalJson.parse(text(AnthropicAdapter.withDefaultMaxTokens(1000)
        .encode(ChatRequest.of("m", List.of(Message.text(Role.USER, "Hi"))), AnthropicSamples.target()).body()));

    assertThat(body.path("max_tokens").asInt()).isEqualTo(1000);
    assertThatThrownBy(() -> AnthropicAdapter.withDefaultMaxTokens(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
