package dev.switchboard.http.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiChunkWriterTest {
  static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Stamp STAMP = new Stamp("gen-1-abc", 1_760_000_000L, "acme/chat", "mock", "fp_1");

  private final OpenAiChunkWriter writer = new OpenAiChunkWriter(JSON.getFactory(), STAMP);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @Test
  void textStreamHasOpenRoutersChunkShapeAndTheRoleOnlyOnTheFirstDelta() throws Exception {
    append(new StreamEvent.Started("up-1", "mock-model"), new StreamEvent.TextDelta(0, "Hel"),
        new StreamEvent.TextDelta(0, "lo"), new StreamEvent.Finish(0, FinishReason.STOP, "end_turn"));
    List<JsonNode> chunks = chunks();
    assertThat(chunks).hasSize(3);
    for (JsonNode chunk : chunks) {
      assertThat(chunk.path("id").asText()).isEqualTo("gen-1-abc");
      assertThat(chunk.path("provider").asText()).isEqualTo("mock");
      assertThat(chunk.path("model").asText()).isEqualTo("acme/chat");
      assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.path("created").isIntegralNumber()).isTrue();
      assertThat(chunk.path("created").asLong()).isEqualTo(1_760_000_000L);
      assertThat(chunk.path("system_fingerprint").asText()).isEqualTo("fp_1");
      assertThat(chunk.path("choices")).hasSize(1);
      assertThat(chunk.path("choices").path(0).path("index").asInt()).isZero();
    }
    assertThat(chunks.get(0).path("choices").path(0).path("delta").toString())
        .isEqualTo("{\"role\":\"assistant\",\"content\":\"Hel\"}");
    assertThat(chunks.get(1).path("choices").path(0).path("delta").toString()).isEqualTo("{\"content\":\"lo\"}");
    JsonNode finish = chunks.get(2).path("choices").path(0);
    assertThat(finish.path("delta").toString()).isEqualTo("{}");
    assertThat(finish.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(finish.path("native_finish_reason").asText()).isEqualTo("end_turn");
    assertValidSdkChunks();
  }

  @Test
  void theRoleIsSentOncePerChoice() throws Exception {
    append(new StreamEvent.ReasoningDelta(0, "think"), new StreamEvent.TextDelta(1, "b"),
        new StreamEvent.TextDelta(0, "a"), new StreamEvent.TextDelta(1, "c"));
    List<JsonNode> deltas = chunks().stream().map(c -> c.path("choices").path(0)).toList();
    assertThat(deltas).extracting(c -> c.path("index").asInt()).containsExactly(0, 1, 0, 1);
    assertThat(deltas).extracting(c -> c.path("delta").has("role")).containsExactly(true, true, false, false);
    assertThat(deltas.get(0).path("delta").path("reasoning").asText()).isEqualTo("think");
    assertValidSdkChunks();
  }

  @Test
  void aChoiceThatFinishesWithoutContentStillAnnouncesItsRole() throws Exception {
    append(new StreamEvent.Finish(0, FinishReason.LENGTH, null));
    JsonNode choice = chunks().getFirst().path("choices").path(0);
    assertThat(choice.path("delta").toString()).isEqualTo("{\"role\":\"assistant\"}");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
    assertThat(choice.has("native_finish_reason")).isFalse();
  }

  @Test
  void toolCallIdTypeAndNameOnlyOnTheFirstPieceOfEachCall() throws Exception {
    append(
        new StreamEvent.ToolCallDelta(0, 0, "call_1", "get_weather", ""),
        new StreamEvent.ToolCallDelta(0, 0, null, null, "{\"city\":"),
        // Some upstreams repeat id and name on every piece; the client must still see them once.
        new StreamEvent.ToolCallDelta(0, 0, "call_1", "get_weather", "\"Paris\"}"),
        new StreamEvent.ToolCallDelta(0, 1, "call_2", "now", "{}"),
        new StreamEvent.Finish(0, FinishReason.TOOL_CALLS, "tool_calls"));
    List<JsonNode> calls = new ArrayList<>();
    for (JsonNode chunk : chunks().subList(0, 4)) {
      JsonNode delta = chunk.path("choices").path(0).path("delta");
      assertThat(delta.has("content")).isFalse();
      assertThat(delta.path("tool_calls")).hasSize(1);
      calls.add(delta.path("tool_calls").path(0));
    }
    assertThat(calls.get(0).toString())
        .isEqualTo("{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}");
    assertThat(calls.get(1).toString()).isEqualTo("{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}");
    assertThat(calls.get(2).toString()).isEqualTo("{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}");
    assertThat(calls.get(3).toString())
        .isEqualTo("{\"index\":1,\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"now\",\"arguments\":\"{}\"}}");
    assertThat(chunks().get(0).path("choices").path(0).path("delta").path("role").asText()).isEqualTo("assistant");
    assertThat(chunks().get(1).path("choices").path(0).path("delta").has("role")).isFalse();
    assertValidSdkChunks();
  }

  @Test
  void usageChunkHasNoChoicesAndAPlainDecimalCost() throws Exception {
    writer.appendUsage(out, new Usage(1200, 300, 1000L, null, 120L, false), new BigDecimal("0.0000120"));
    String text = frames().getFirst();
    assertThat(text).contains("\"cost\":0.000012").doesNotContain("E-").doesNotContain("e-");
    JsonNode chunk = JSON.readTree(text);
    assertThat(chunk.path("choices").isArray()).isTrue();
    assertThat(chunk.path("choices")).isEmpty();
    JsonNode usage = chunk.path("usage");
    assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(1200);
    assertThat(usage.path("completion_tokens").asLong()).isEqualTo(300);
    assertThat(usage.path("total_tokens").asLong()).isEqualTo(1500);
    assertThat(usage.path("cost").isNumber()).isTrue();
    assertThat(usage.path("prompt_tokens_details").toString()).isEqualTo("{\"cached_tokens\":1000}");
    assertThat(usage.path("completion_tokens_details").toString()).isEqualTo("{\"reasoning_tokens\":120}");
    assertValidSdkChunks();
  }

  @Test
  void costIsNeverWrittenWithAnExponent() {
    writer.appendUsage(out, Usage.of(1, 1), new BigDecimal("1.2E-7"));
    writer.appendUsage(out, Usage.of(1, 1), new BigDecimal("0E-9"));
    writer.appendUsage(out, Usage.of(1, 1), new BigDecimal("1.50E+1"));
    List<String> frames = frames();
    assertThat(frames.get(0)).contains("\"cost\":0.00000012}");
    assertThat(frames.get(1)).contains("\"cost\":0}");
    assertThat(frames.get(2)).contains("\"cost\":15}");
  }

  @Test
  void usageChunkLeavesOutDetailsThatWereNotReported() throws Exception {
    writer.appendUsage(out, Usage.of(3, 4), BigDecimal.ZERO);
    JsonNode usage = JSON.readTree(frames().getFirst()).path("usage");
    assertThat(usage.has("prompt_tokens_details")).isFalse();
    assertThat(usage.has("completion_tokens_details")).isFalse();
  }

  @Test
  void errorChunkShape() throws Exception {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("provider_name", "mock");
    metadata.put("upstream_status", 500);
    metadata.put("filtered", Map.of("acme/chat via mid", "in provider.ignore"));
    writer.append(out, new StreamEvent.TextDelta(0, "partial"));
    writer.appendError(out, 502, "upstream provider mock failed", metadata);
    JsonNode chunk = chunks().get(1);
    assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
    assertThat(chunk.path("id").asText()).isEqualTo("gen-1-abc");
    JsonNode error = chunk.path("error");
    assertThat(error.path("code").isInt()).isTrue();
    assertThat(error.path("code").asInt()).isEqualTo(502);
    assertThat(error.path("message").asText()).isEqualTo("upstream provider mock failed");
    assertThat(error.path("metadata").path("provider_name").asText()).isEqualTo("mock");
    assertThat(error.path("metadata").path("upstream_status").isInt()).isTrue();
    assertThat(error.path("metadata").path("filtered").path("acme/chat via mid").asText())
        .isEqualTo("in provider.ignore");
    JsonNode choice = chunk.path("choices").path(0);
    assertThat(choice.path("index").asInt()).isZero();
    assertThat(choice.path("delta").toString()).isEqualTo("{\"content\":\"\"}");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("error");
  }

  @Test
  void errorChunkWithoutMetadataCarriesOnlyTheErrorType() throws Exception {
    writer.appendError(out, 408, "timed out", Map.of());
    assertThat(chunks().getFirst().path("error").path("metadata").toString())
        .isEqualTo("{\"error_type\":\"" + ErrorTypes.of(408) + "\"}");
  }

  @Test
  void eventsTheGatewayWritesItselfProduceNothing() {
    append(new StreamEvent.Started(null, null), new StreamEvent.UsageReport(Usage.of(1, 1)),
        new StreamEvent.Failure(new UpstreamError(UpstreamError.Kind.SERVER, 500, null, "boom", null)));
    assertThat(out.size()).isZero();
  }

  @Test
  void logprobsArePassedThroughVerbatim() throws Exception {
    append(new StreamEvent.Logprobs(0, RawJson.of("{\"content\":[{\"token\":\"Hi\",\"logprob\":-0.1}]}")));
    JsonNode choice = chunks().getFirst().path("choices").path(0);
    assertThat(choice.path("logprobs").toString()).isEqualTo("{\"content\":[{\"token\":\"Hi\",\"logprob\":-0.1}]}");
  }

  @Test
  void withoutAFingerprintTheFieldIsAbsent() throws Exception {
    OpenAiChunkWriter plain = new OpenAiChunkWriter(JSON.getFactory(), new Stamp("gen-2", 1, "a/b", "p", null));
    plain.append(out, new StreamEvent.TextDelta(0, "x"));
    assertThat(chunks().getFirst().has("system_fingerprint")).isFalse();
  }

  @Test
  void framesAreSseDataLinesAndConstantsAreWellFormed() {
    writer.append(out, new StreamEvent.TextDelta(0, "line one\nline two"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("data: {").endsWith("}\n\n");
    // The newline inside the text is escaped, so the frame is one data line.
    assertThat(text.substring(0, text.length() - 2)).doesNotContain("\n");
    assertThat(new String(OpenAiChunkWriter.DONE, StandardCharsets.US_ASCII)).isEqualTo("data: [DONE]\n\n");
    assertThat(new String(OpenAiChunkWriter.PROCESSING, StandardCharsets.US_ASCII)).startsWith(":").endsWith("\n\n");
  }

  @Test
  void textDeltasAreByteForByteWhatJacksonWritesForTheSameChunk() throws Exception {
    List<String> texts = List.of("Hel", "", "quote \" backslash \\ slash /", "tab\tnew\nline\r\u0000\u001f\u007f",
        "caf\u00e9 \u4e2d\u6587 \uD83D\uDE00", "<script>&amp;</script>", "\u2028\u2029");
    var expected = new StringBuilder();
    for (int i = 0; i < texts.size(); i++) {
      int choice = i % 2 == 0 ? 0 : 12;
      boolean reasoning = i == 3;
      writer.append(out, reasoning ? new StreamEvent.ReasoningDelta(choice, texts.get(i))
          : new StreamEvent.TextDelta(choice, texts.get(i)));
      var chunk = JSON.createObjectNode().put("id", "gen-1-abc").put("provider", "mock").put("model", "acme/chat")
          .put("object", "chat.completion.chunk").put("created", 1_760_000_000L).put("system_fingerprint", "fp_1");
      var choiceNode = chunk.putArray("choices").addObject().put("index", choice);
      var delta = choiceNode.putObject("delta");
      if (i < 2) {
        delta.put("role", "assistant");
      }
      delta.put(reasoning ? "reasoning" : "content", texts.get(i));
      choiceNode.putNull("finish_reason");
      expected.append("data: ").append(JSON.writeValueAsString(chunk)).append("\n\n");
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
  }

  @Test
  void aStampThatNeedsEscapingIsEscapedInTheSplicedHead() throws Exception {
    var odd = new OpenAiChunkWriter(JSON.getFactory(),
        new Stamp("gen-\"choices\":[{\"index\":", 7L, "a\"b", "p\\q", null));
    odd.append(out, new StreamEvent.TextDelta(3, "x"));
    JsonNode chunk = chunks().getFirst();
    assertThat(chunk.path("id").asText()).isEqualTo("gen-\"choices\":[{\"index\":");
    assertThat(chunk.path("model").asText()).isEqualTo("a\"b");
    assertThat(chunk.path("provider").asText()).isEqualTo("p\\q");
    assertThat(chunk.has("system_fingerprint")).isFalse();
    assertThat(chunk.path("choices").path(0).path("index").asInt()).isEqualTo(3);
    assertThat(chunk.path("choices").path(0).path("delta").toString())
        .isEqualTo("{\"role\":\"assistant\",\"content\":\"x\"}");
  }

  private void append(StreamEvent... events) {
    for (StreamEvent event : events) {
      writer.append(out, event);
    }
  }

  /** The data of each frame; every frame is one {@code data:} line and a blank line. */
  private List<String> frames() {
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n\n");
    List<String> frames = new ArrayList<>();
    for (String frame : text.substring(0, text.length() - 2).split("\n\n", -1)) {
      assertThat(frame).startsWith("data: ").doesNotContain("\n");
      frames.add(frame.substring("data: ".length()));
    }
    return frames;
  }

  /** Every frame parsed; none contains a JSON null anywhere. */
  private List<JsonNode> chunks() throws Exception {
    List<JsonNode> chunks = new ArrayList<>();
    for (String frame : frames()) {
      JsonNode chunk = JSON.readTree(frame);
      assertNoNulls(chunk, "$");
      chunks.add(chunk);
    }
    return chunks;
  }

  /**
   * No null anywhere except where the schema requires a nullable field: OpenAI's and OpenRouter's
   * chunk schemas both require {@code finish_reason} (null until the choice finishes) and
   * OpenRouter's requires {@code system_fingerprint}.
   */
  static void assertNoNulls(JsonNode node, String path) {
    boolean requiredNullable = path.endsWith(".finish_reason") || path.equals("$.system_fingerprint");
    assertThat(node.isNull() && !requiredNullable).as("null at %s", path).isFalse();
    if (node.isObject()) {
      node.properties().forEach(e -> assertNoNulls(e.getValue(), path + "." + e.getKey()));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        assertNoNulls(node.get(i), path + "[" + i + "]");
      }
    }
  }

  /** The official OpenAI SDK reads every frame as a valid chunk. */
  private void assertValidSdkChunks() throws Exception {
    for (String frame : frames()) {
      ChatCompletionChunk chunk = ObjectMappers.jsonMapper().readValue(frame, ChatCompletionChunk.class);
      assertThatCode(chunk::validate).as(frame).doesNotThrowAnyException();
    }
  }
}
