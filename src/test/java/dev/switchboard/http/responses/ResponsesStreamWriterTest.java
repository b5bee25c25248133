package dev.switchboard.http.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.Usage;
import dev.switchboard.http.openai.Stamp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stream shapes the golden fixtures do not cover: interleavings, missing ids, errors before the start. */
class ResponsesStreamWriterTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Stamp STAMP = new Stamp("gen-XYZ", 1_700_000_000L, "mock/mock-model", "mock", null);

  private final ResponsesStreamWriter writer =
      new ResponsesStreamWriter(MAPPER.getFactory(), STAMP, null, InstantSource.system());
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Each frame as (event name, data), checking that the two name the same type. */
  private List<JsonNode> events() {
    List<JsonNode> events = new ArrayList<>();
    for (String frame : out.toString(StandardCharsets.UTF_8).split("\n\n")) {
      String[] lines = frame.split("\n");
      assertThat(lines).hasSize(2);
      assertThat(lines[0]).startsWith("event: ");
      assertThat(lines[1]).startsWith("data: ");
      try {
        JsonNode data = MAPPER.readTree(lines[1].substring("data: ".length()));
        assertThat(data.path("type").asText()).isEqualTo(lines[0].substring("event: ".length()));
        events.add(data);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return events;
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.path("type").asText()).toList();
  }

  @Test
  void failureBeforeTheStreamStartedIsAnErrorEvent() {
    writer.appendError(out, new GatewayException.RateLimited("slow down", 3L, Map.of()));

    List<JsonNode> events = events();
    assertThat(types(events)).containsExactly("error");
    assertThat(events.getFirst().path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(events.getFirst().path("message").asText()).isEqualTo("slow down");
    assertThat(events.getFirst().has("param")).isTrue();
    assertThat(events.getFirst().path("sequence_number").asInt()).isZero();
  }

  @Test
  void textReasoningTextOpensThreeItemsInOrder() {
    writer.appendStart(out);
    writer.append(out, new StreamEvent.TextDelta(0, "a"));
    writer.append(out, new StreamEvent.ReasoningDelta(0, "hmm"));
    writer.append(out, new StreamEvent.TextDelta(0, "b"));
    writer.append(out, new StreamEvent.Finish(0, FinishReason.STOP, null));
    writer.appendEnd(out, Usage.of(1, 2), BigDecimal.ONE);

    List<JsonNode> events = events();
    List<JsonNode> added = events.stream().filter(e -> e.path("type").asText().equals("response.output_item.added"))
        .toList();
    assertThat(added).extracting(e -> e.path("item").path("type").asText())
        .containsExactly("message", "reasoning", "message");
    assertThat(added).extracting(e -> e.path("output_index").asInt()).containsExactly(0, 1, 2);
    JsonNode output = events.getLast().path("response").path("output");
    assertThat(output).hasSize(3);
    assertThat(output.path(0).path("content").path(0).path("text").asText()).isEqualTo("a");
    assertThat(output.path(2).path("content").path(0).path("text").asText()).isEqualTo("b");
    // Each item is closed once, before the next one opens.
    assertThat(types(events).stream().filter(t -> t.equals("response.output_item.done"))).hasSize(3);
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
    }
  }

  @Test
  void interleavedParallelCallsKeepTheirOwnArguments() {
    writer.appendStart(out);
    writer.append(out, new StreamEvent.ToolCallDelta(0, 0, "call_a", "f", "{\"x\":"));
    writer.append(out, new StreamEvent.ToolCallDelta(0, 1, null, "g", "{\"y\":"));
    writer.append(out, new StreamEvent.ToolCallDelta(0, 0, null, null, "1}"));
    writer.append(out, new StreamEvent.ToolCallDelta(0, 1, null, null, "2}"));
    writer.append(out, new StreamEvent.Finish(0, FinishReason.TOOL_CALLS, null));
    writer.appendEnd(out, Usage.of(1, 2), BigDecimal.ONE);

    List<JsonNode> events = events();
    List<JsonNode> done = events.stream()
        .filter(e -> e.path("type").asText().equals("response.function_call_arguments.done")).toList();
    assertThat(done).extracting(e -> e.path("arguments").asText()).containsExactly("{\"x\":1}", "{\"y\":2}");
    JsonNode output = events.getLast().path("response").path("output");
    assertThat(output).hasSize(2);
    assertThat(output.path(0).path("call_id").asText()).isEqualTo("call_a");
    // A call whose first piece had no id still gets a call_id the client can answer.
    assertThat(output.path(1).path("call_id").asText()).isEqualTo("call_XYZ_1");
    assertThat(output.path(1).path("name").asText()).isEqualTo("g");
    assertThat(events.getLast().path("type").asText()).isEqualTo("response.completed");
  }

  @Test
  void otherChoicesAreIgnored() {
    writer.appendStart(out);
    int before = events().size();
    writer.append(out, new StreamEvent.TextDelta(1, "not mine"));
    writer.append(out, new StreamEvent.Finish(1, FinishReason.STOP, null));

    assertThat(events()).hasSize(before);
  }

  @Test
  void keepAliveIsAnSseComment() {
    assertThat(new String(writer.keepAlive(), StandardCharsets.US_ASCII)).startsWith(":").endsWith("\n\n");
  }
}
