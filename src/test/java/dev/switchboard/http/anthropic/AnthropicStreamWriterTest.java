package dev.switchboard.http.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.Usage;
import dev.switchboard.http.StreamWriter;
import dev.switchboard.http.openai.Stamp;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicStreamWriterTest {
  private final StreamWriter writer = new AnthropicChatDialect(JsonMapper.builder().build())
      .streamWriter(new Stamp("gen-1", 1L, "anthropic/claude", "anthropic", null));

  private String write(List<StreamEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.appendStart(out);
    events.forEach(e -> writer.append(out, e));
    writer.appendEnd(out, Usage.of(10, 5), BigDecimal.ZERO);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aSignedThinkingBlockEndsWithItsSignatureDelta() {
    String sse = write(List.of(
        new StreamEvent.ReasoningDelta(0, "Let me think."),
        new StreamEvent.ReasoningDetail(0, new ContentPart.Unknown("thinking",
            RawJson.of("{\"type\":\"thinking\",\"thinking\":\"Let me think.\",\"signature\":\"sig-123\"}"))),
        new StreamEvent.TextDelta(0, "Hi"),
        new StreamEvent.Finish(0, FinishReason.STOP, "end_turn")));

    int signature = sse.indexOf("\"type\":\"signature_delta\",\"signature\":\"sig-123\"");
    int thinkingStop = sse.indexOf("{\"type\":\"content_block_stop\",\"index\":0}");
    int textStart = sse.indexOf("\"content_block\":{\"type\":\"text\"");
    assertThat(signature).isPositive();
    assertThat(thinkingStop).isGreaterThan(signature);
    assertThat(textStart).isGreaterThan(thinkingStop);
    assertThat(sse).contains("\"index\":1,\"content_block\":{\"type\":\"text\"");
  }

  @Test
  void aRedactedBlockIsSentWhole() {
    String sse = write(List.of(
        new StreamEvent.ReasoningDetail(0, new ContentPart.Unknown("redacted_thinking",
            RawJson.of("{\"type\":\"redacted_thinking\",\"data\":\"opaque\"}"))),
        new StreamEvent.TextDelta(0, "Hi")));

    assertThat(sse).contains("\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"opaque\"}");
    assertThat(sse.indexOf("redacted_thinking")).isLessThan(sse.indexOf("\"type\":\"text\""));
  }
}
