package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.CanonicalJson.canonical;
import static dev.switchboard.provider.CanonicalJson.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.ToolSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Encoder and schema behaviour the golden fixtures do not cover. */
class GeminiRequestEncoderTest {

  private static ChatRequest request(List<Message> messages, List<ToolSpec> tools, @Nullable Integer maxTokens,
      Map<String, RawJson> extra) {
    return new ChatRequest(
        "google/gemini-2.5-flash", List.of(), messages, tools, null, null, null, null, null, null, maxTokens, List.of(),
        null, null, null, false, false, ProviderPreferences.NONE, extra);
  }

  private static JsonNode encode(ChatRequest request) {
    return parse(new String(GeminiRequestEncoder.encode(request), StandardCharsets.UTF_8));
  }

  private static List<Message> hello() {
    return List.of(Message.text(Role.USER, "Hi"));
  }

  /** The thinkingConfig for a reasoning object (or effort shorthand) and max_tokens; "-" for none. */
  @ParameterizedTest(name = "{0} {1} max_tokens={2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "reasoning        | {\"effort\":\"low\"}                       |      | {\"thinkingBudget\":1024,\"includeThoughts\":true}",
        "reasoning        | {\"effort\":\"medium\"}                    | 1000 | {\"thinkingBudget\":512,\"includeThoughts\":true}",
        "reasoning        | {\"effort\":\"medium\"}                    | 3000 | {\"thinkingBudget\":1500,\"includeThoughts\":true}",
        "reasoning        | {\"effort\":\"high\"}                      | 100000 | {\"thinkingBudget\":24576,\"includeThoughts\":true}",
        "reasoning        | {\"effort\":\"xhigh\"}                     |      | {\"thinkingBudget\":24576,\"includeThoughts\":true}",
        "reasoning        | {\"effort\":\"turbo\"}                     |      | {\"thinkingBudget\":8192,\"includeThoughts\":true}",
        "reasoning        | {\"effort\":\"none\"}                      | 4000 | {\"thinkingBudget\":0,\"includeThoughts\":false}",
        "reasoning        | {\"max_tokens\":2048,\"exclude\":true}     |      | {\"thinkingBudget\":2048,\"includeThoughts\":false}",
        "reasoning        | {\"max_tokens\":2048,\"effort\":\"low\"}   |      | {\"thinkingBudget\":2048,\"includeThoughts\":true}",
        "reasoning        | {\"enabled\":true}                         |      | {\"thinkingBudget\":-1,\"includeThoughts\":true}",
        "reasoning        | {\"enabled\":false}                        |      | {\"thinkingBudget\":0,\"includeThoughts\":false}",
        "reasoning        | {}                                         |      | {\"includeThoughts\":true}",
        "reasoning        | {\"exclude\":true}                         |      | {\"includeThoughts\":false}",
        "reasoning_effort | \"minimal\"                                |      | {\"thinkingBudget\":512,\"includeThoughts\":true}",
        "reasoning_effort | \"HIGH\"                                   | 2000 | {\"thinkingBudget\":1600,\"includeThoughts\":true}",
        "unrelated        | {\"effort\":\"high\"}                      |      | -",
      })
  void mapsOpenRoutersReasoningToAThinkingConfig(String key, String value, @Nullable Integer maxTokens, String expected) {
    JsonNode body = encode(request(hello(), List.of(), maxTokens, Map.of(key, RawJson.of(value))));

    JsonNode thinking = body.path("generationConfig").get("thinkingConfig");
    if (expected.equals("-")) {
      assertThat(thinking).isNull();
    } else {
      assertThat(canonical(thinking)).isEqualTo(canonical(expected));
    }
  }

  @Test
  void rejectsWhatGeminiCannotExpress() {
    var unknownPart = new Message(Role.USER, List.of(new ContentPart.Unknown("refusal", RawJson.of("{\"type\":\"refusal\"}"))),
        null, List.of(), null, null);
    assertThatThrownBy(() -> encode(request(List.of(unknownPart), List.of(), null, Map.of())))
        .isInstanceOf(InvalidRequest.class).hasMessageContaining("refusal");

    for (String arguments : List.of("[1,2]", "{\"broken\":", "\"text\"")) {
      var call = new Message(Role.ASSISTANT, List.of(), null, List.of(new ToolCall("c1", "f", arguments)), null, null);
      assertThatThrownBy(() -> encode(request(List.of(Message.text(Role.USER, "Hi"), call), List.of(), null, Map.of())))
          .as("arguments %s", arguments)
          .isInstanceOf(InvalidRequest.class).hasMessageContaining("not a JSON object");
    }

    var orphan = new Message(Role.TOOL, List.of(new ContentPart.Text("42")), null, List.of(), "missing", null);
    assertThatThrownBy(() -> encode(request(List.of(Message.text(Role.USER, "Hi"), orphan), List.of(), null, Map.of())))
        .isInstanceOf(InvalidRequest.class).hasMessageContaining("'missing'");

    var imageInSystem = new Message(Role.SYSTEM, List.of(new ContentPart.Image("https://x/y.png", null)), null, List.of(), null, null);
    assertThatThrownBy(() -> encode(request(List.of(imageInSystem, Message.text(Role.USER, "Hi")), List.of(), null, Map.of())))
        .isInstanceOf(InvalidRequest.class);

    var emptyFile = new Message(Role.USER, List.of(new ContentPart.File("a.pdf", null, null)), null, List.of(), null, null);
    assertThatThrownBy(() -> encode(request(List.of(emptyFile), List.of(), null, Map.of()))).isInstanceOf(InvalidRequest.class);

    var badSchema = new ToolSpec("f", null, RawJson.of("[\"not\",\"a\",\"schema\"]"), null);
    assertThatThrownBy(() -> encode(request(hello(), List.of(badSchema), null, Map.of())))
        .isInstanceOf(InvalidRequest.class).hasMessageContaining("tools");
  }

  @Test
  void aToolMessageWhoseCallIsNotInTheHistoryFallsBackToItsName() {
    var named = new Message(Role.TOOL, List.of(new ContentPart.Text("42")), "lookup", List.of(), "gone", null);

    JsonNode body = encode(request(List.of(Message.text(Role.USER, "Hi"), named), List.of(), null, Map.of()));

    JsonNode response = body.at("/contents/0/parts/1/functionResponse");
    assertThat(canonical(response)).isEqualTo(canonical("{\"name\":\"lookup\",\"response\":{\"result\":42}}"));
  }

  @Test
  void answersAReusedCallIdWithTheNearestEarlierCall() {
    // Ids like call_0 restart with every Gemini response, so an id can recur in one conversation.
    List<Message> messages =
        List.of(
            Message.text(Role.USER, "Hi"),
            new Message(Role.ASSISTANT, List.of(), null, List.of(new ToolCall("call_0", "first", "{}")), null, null),
            new Message(Role.TOOL, List.of(new ContentPart.Text("a")), null, List.of(), "call_0", null),
            new Message(Role.ASSISTANT, List.of(), null, List.of(new ToolCall("call_0", "second", "{}")), null, null),
            new Message(Role.TOOL, List.of(new ContentPart.Text("b")), null, List.of(), "call_0", null));

    JsonNode contents = encode(request(messages, List.of(), null, Map.of())).get("contents");

    assertThat(contents.at("/2/parts/0/functionResponse/name").asText()).isEqualTo("first");
    assertThat(contents.at("/4/parts/0/functionResponse/name").asText()).isEqualTo("second");
  }

  @Test
  void givesEveryUnsignedAssistantTurnThePlaceholderSignatureOnItsFirstCallOnly() {
    List<Message> messages =
        List.of(
            Message.text(Role.USER, "Hi"),
            new Message(Role.ASSISTANT, List.of(), null,
                List.of(new ToolCall("toolu_1", "a", "{}"), new ToolCall("toolu_2", "b", "{}")), null, null),
            new Message(Role.ASSISTANT, List.of(), null,
                List.of(new ToolCall("x", "c", "{}"), new ToolCall("y__thought__QUJD", "d", "{}")), null, null));

    JsonNode parts = encode(request(messages, List.of(), null, Map.of())).at("/contents/1/parts");

    assertThat(parts).hasSize(4).as("consecutive assistant turns are one model turn");
    assertThat(parts.get(0).path("thoughtSignature").asText()).isEqualTo(GeminiRequestEncoder.SKIP_SIGNATURE);
    assertThat(parts.get(1).has("thoughtSignature")).isFalse();
    assertThat(parts.get(2).has("thoughtSignature")).as("a turn with a real signature needs no placeholder").isFalse();
    assertThat(parts.get(3).path("thoughtSignature").asText()).isEqualTo("QUJD");
    assertThat(parts.get(3).path("functionCall").has("id")).as("ids are not sent").isFalse();
  }

  @Test
  void guessesMimeTypesFromExtensions() {
    assertThat(GeminiRequestEncoder.mimeType("https://x.org/a/b.JPG?size=2")).isEqualTo("image/jpeg");
    assertThat(GeminiRequestEncoder.mimeType("gs://bucket/clip.mp4")).isEqualTo("video/mp4");
    assertThat(GeminiRequestEncoder.mimeType("report.pdf")).isEqualTo("application/pdf");
    assertThat(GeminiRequestEncoder.mimeType("https://x.org/v1.2/image")).isNull();
    assertThat(GeminiRequestEncoder.mimeType("https://x.org/file.unknownext")).isNull();
  }
}
