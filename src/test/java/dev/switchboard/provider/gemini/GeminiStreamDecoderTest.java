package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.FinishReason;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.StreamDecoding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stream-decoder behaviour the recorded fixtures do not cover. */
class GeminiStreamDecoderTest {

  private static List<StreamEvent> stream(Frame... frames) {
    return StreamDecoding.decode(new GeminiStreamDecoder(), frames);
  }

  private static Frame.Sse data(String json) {
    return new Frame.Sse(null, json);
  }

  @Test
  void finishesEveryCandidateInOrderAfterTheUsage() {
    List<StreamEvent> events =
        stream(
            data("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"B\"}]},\"index\":1},{\"content\":{\"parts\":[{\"text\":\"A\"}]},\"index\":0}],\"responseId\":\"r\",\"modelVersion\":\"m\"}"),
            data("{\"candidates\":[{\"finishReason\":\"MAX_TOKENS\",\"index\":1}]}"),
            data("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\",\"id\":\"fc-9\"}}]},\"finishReason\":\"STOP\",\"index\":0}]}"),
            data("{\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":4,\"toolUsePromptTokenCount\":2}}"));

    assertThat(events)
        .containsExactly(
            new StreamEvent.Started("r", "m"),
            new StreamEvent.TextDelta(1, "B"),
            new StreamEvent.TextDelta(0, "A"),
            new StreamEvent.ToolCallDelta(0, 0, "fc-9", "f", "{}"),
            new StreamEvent.UsageReport(Usage.of(5, 4)),
            new StreamEvent.Finish(0, FinishReason.TOOL_CALLS, "STOP"),
            new StreamEvent.Finish(1, FinishReason.LENGTH, "MAX_TOKENS"));
  }

  @Test
  void aCandidateLeftUnfinishedIsAReset() {
    List<StreamEvent> events =
        stream(
            data("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"A\"}]},\"index\":0},{\"content\":{\"parts\":[{\"text\":\"B\"}]},\"index\":1}]}"),
            data("{\"candidates\":[{\"finishReason\":\"STOP\",\"index\":0}]}"));

    assertThat(events.getLast()).isInstanceOfSatisfying(
        StreamEvent.Failure.class, failure -> assertThat(failure.error().kind()).isEqualTo(Kind.RESET));
  }

  @Test
  void aChunkThatIsNotJsonEndsTheStreamAfterTheUsageSoFar() {
    var decoder = new GeminiStreamDecoder();
    decoder.onFrame(data("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"A\"}]}}],\"usageMetadata\":{\"promptTokenCount\":7}}"));

    List<StreamEvent> events = decoder.onFrame(data("{\"candidates\": [tru"));

    assertThat(events).hasSize(2);
    assertThat(events.getFirst()).isEqualTo(new StreamEvent.UsageReport(Usage.of(7, 0)));
    assertThat(events.getLast()).isInstanceOfSatisfying(
        StreamEvent.Failure.class, failure -> assertThat(failure.error().kind()).isEqualTo(Kind.MALFORMED));
    assertThat(decoder.onFrame(data("{\"candidates\":[]}"))).isEmpty();
    assertThat(decoder.onEnd()).isEmpty();
  }

  @Test
  void readsJsonLinesAndSkipsBlankFrames() {
    List<StreamEvent> events =
        stream(
            new Frame.Sse(null, "  "),
            new Frame.JsonLine("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}]},\"finishReason\":\"STOP\"}]}"));

    assertThat(events)
        .containsExactly(
            new StreamEvent.Started(null, null), new StreamEvent.TextDelta(0, "ok"), new StreamEvent.Finish(0, FinishReason.STOP, "STOP"));
  }

  @Test
  void anErrorFrameWithoutAnHttpCodeIsAServerFailure() {
    List<StreamEvent> events = stream(data("{\"error\":{\"message\":\"boom\",\"status\":\"INTERNAL\"}}"));

    assertThat(events).singleElement().isInstanceOfSatisfying(StreamEvent.Failure.class, failure -> {
      assertThat(failure.error().kind()).isEqualTo(Kind.SERVER);
      assertThat(failure.error().status()).isEqualTo(200);
      assertThat(failure.error().message()).isEqualTo("boom");
    });
  }
}
