package dev.switchboard.http.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.Choice;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Role;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.Usage;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OpenRouter's {@code reasoning_details}: written on answers and chunks, read back from requests. */
class ReasoningDetailsDialectTest {
  private static final Stamp STAMP = new Stamp("gen-1-abc", 1_760_000_000L, "acme/chat", "mock", null);
  private static final ContentPart.Unknown THINKING = new ContentPart.Unknown("thinking",
      RawJson.of("{\"type\":\"thinking\",\"thinking\":\"Check 1009.\",\"signature\":\"sig-1\"}"));
  private static final ContentPart.Unknown REDACTED = new ContentPart.Unknown("redacted_thinking",
      RawJson.of("{\"type\":\"redacted_thinking\",\"data\":\"opaque\"}"));
  private static final ContentPart.Unknown BEDROCK = new ContentPart.Unknown("reasoningContent",
      RawJson.of("{\"reasoningContent\":{\"reasoningText\":{\"text\":\"Hm.\",\"signature\":\"sig-2\"}}}"));

  @Test
  void answerCarriesEachReasoningBlockAsADetailInOrder() throws Exception {
    var message = new Message(Role.ASSISTANT,
        List.of(THINKING, REDACTED, BEDROCK, new ContentPart.Unknown("refusal", RawJson.of("{}")),
            new ContentPart.Text("Yes.")),
        null, List.of(), null, "Check 1009.");
    var response = new ChatResponse(null, null, List.of(new Choice(0, message, FinishReason.STOP, null, null)), null, null);
    byte[] body = new OpenAiResponseWriter(OpenAiChunkWriterTest.JSON.getFactory())
        .write(response, STAMP, Usage.ZERO, BigDecimal.ZERO);

    JsonNode written = OpenAiChunkWriterTest.JSON.readTree(body).path("choices").path(0).path("message");
    assertThat(written.path("content").asText()).isEqualTo("Yes.");
    assertThat(written.path("reasoning").asText()).isEqualTo("Check 1009.");
    assertThat(written.path("reasoning_details")).isEqualTo(OpenAiChunkWriterTest.JSON.readTree("""
        [{"type":"reasoning.text","text":"Check 1009.","signature":"sig-1","format":"anthropic-claude-v1","index":0},
         {"type":"reasoning.encrypted","data":"opaque","format":"anthropic-claude-v1","index":1},
         {"type":"reasoning.text","text":"Hm.","signature":"sig-2","format":"anthropic-claude-v1","index":2}]
        """));
  }

  @Test
  void answerWithoutReasoningBlocksHasNoDetailsField() throws Exception {
    var response = new ChatResponse(null, null, List.of(new Choice(0, Message.text(Role.ASSISTANT, "Hi"),
        FinishReason.STOP, null, null)), null, null);
    byte[] body = new OpenAiResponseWriter(OpenAiChunkWriterTest.JSON.getFactory())
        .write(response, STAMP, Usage.ZERO, BigDecimal.ZERO);
    assertThat(OpenAiChunkWriterTest.JSON.readTree(body).path("choices").path(0).path("message")
        .has("reasoning_details")).isFalse();
  }

  @Test
  void streamWritesOneDetailPerChunkIndexedPerChoiceWithoutNulls() throws Exception {
    var writer = new OpenAiChunkWriter(OpenAiChunkWriterTest.JSON.getFactory(), STAMP);
    var out = new ByteArrayOutputStream();
    for (StreamEvent event : List.of(new StreamEvent.ReasoningDelta(0, "Check 1009."),
        new StreamEvent.ReasoningDetail(0, THINKING), new StreamEvent.ReasoningDetail(0, REDACTED),
        new StreamEvent.ReasoningDetail(1, THINKING),
        new StreamEvent.ReasoningDetail(0, new ContentPart.Unknown("refusal", RawJson.of("{}"))))) {
      writer.append(out, event);
    }
    List<JsonNode> deltas = new ArrayList<>();
    for (String frame : out.toString(StandardCharsets.UTF_8).split("\n\n")) {
      JsonNode chunk = OpenAiChunkWriterTest.JSON.readTree(frame.substring("data: ".length()));
      assertThat(chunk.toString()).doesNotContain(":null,\"index\"").doesNotContain("\"reasoning_details\":null");
      deltas.add(chunk.path("choices").path(0).path("delta"));
    }
    // The refusal part is no reasoning block, so it writes nothing.
    assertThat(deltas).hasSize(4);
    assertThat(deltas.get(0).path("reasoning").asText()).isEqualTo("Check 1009.");
    assertThat(deltas.get(1).path("reasoning_details").path(0).path("signature").asText()).isEqualTo("sig-1");
    assertThat(deltas.get(1).path("reasoning_details").path(0).path("index").asInt()).isZero();
    assertThat(deltas.get(2).path("reasoning_details").path(0).path("type").asText()).isEqualTo("reasoning.encrypted");
    assertThat(deltas.get(2).path("reasoning_details").path(0).path("index").asInt()).isEqualTo(1);
    // Choice 1 counts its own details, and announces its role once.
    assertThat(deltas.get(3).path("reasoning_details").path(0).path("index").asInt()).isZero();
    assertThat(deltas.get(3).path("role").asText()).isEqualTo("assistant");
  }

  @Test
  void assistantDetailsComeBackAsTheBlocksAdaptersSendFirst() {
    ChatRequest request = new OpenAiRequestReader(OpenAiChunkWriterTest.JSON).read(("""
        {"model":"m/x","messages":[
          {"role":"user","content":"Is 1009 prime?"},
          {"role":"assistant","content":"Checking.","tool_calls":[
            {"id":"c1","type":"function","function":{"name":"is_prime","arguments":"{}"}}],
           "reasoning_details":[
            {"type":"reasoning.summary","summary":"Checked.","format":"anthropic-claude-v1","index":0},
            {"type":"reasoning.text","text":"Unsigned.","format":"anthropic-claude-v1","index":1},
            {"type":"reasoning.text","text":"Other family.","signature":"x","format":"openai-responses-v1","index":2},
            {"type":"reasoning.text","text":"Check 1009.","signature":"sig-1","format":"anthropic-claude-v1","index":3},
            {"type":"reasoning.encrypted","data":"opaque","index":4}]},
          {"role":"tool","tool_call_id":"c1","content":"true"}]}
        """).getBytes(StandardCharsets.UTF_8));

    Message assistant = request.messages().get(1);
    assertThat(assistant.content()).containsExactly(THINKING, REDACTED, new ContentPart.Text("Checking."));
    assertThat(assistant.toolCalls()).containsExactly(new ToolCall("c1", "is_prime", "{}"));
  }
}
