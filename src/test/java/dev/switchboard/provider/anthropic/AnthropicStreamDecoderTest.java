package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.FinishReason;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.StreamDecoding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stream-decoder behaviour the recorded fixtures do not cover. */
class AnthropicStreamDecoderTest {

  private static List<StreamEvent> decode(Frame... frames) {
    return StreamDecoding.decode(new AnthropicStreamDecoder(), frames);
  }

  /** A frame as Anthropic sends it: the event name repeated as the data's type. */
  private static Frame.Sse event(String json) {
    String type = json.replaceFirst("^\\{\"type\":\"([a-z_]+)\".*$", "$1");
    return new Frame.Sse(type, json);
  }

  @Test
  void aBodyThatEndsAfterTheStopReasonIsCompleteWithoutMessageStop() {
    List<StreamEvent> events =
        decode(
            event("{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"c\",\"usage\":{\"input_tokens\":4,\"output_tokens\":1}}}"),
            event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"),
            event("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},\"usage\":{\"output_tokens\":3}}"));

    assertThat(events)
        .containsExactly(
            new StreamEvent.Started("m", "c"),
            new StreamEvent.TextDelta(0, "Hi"),
            new StreamEvent.UsageReport(Usage.of(4, 3)),
            new StreamEvent.Finish(0, FinishReason.LENGTH, "max_tokens"));
  }

  @Test
  void bytesThatAreNotUtf8DecodeToReplacementCharactersAsText() {
    byte[] head = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] tail = "b\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] data = new byte[head.length + 1 + tail.length];
    System.arraycopy(head, 0, data, 0, head.length);
    data[head.length] = (byte) 0xC3; // a lead byte without its continuation
    System.arraycopy(tail, 0, data, head.length + 1, tail.length);

    List<StreamEvent> events = decode(
        event("{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"c\"}}"),
        Frame.Sse.ofUtf8("content_block_delta", data),
        event("{\"type\":\"message_stop\"}"));

    assertThat(events).contains(new StreamEvent.TextDelta(0, "a\uFFFDb"));
    assertThat(events.getLast()).isEqualTo(new StreamEvent.Finish(0, FinishReason.STOP, null));
  }

  @Test
  void contentBeforeMessageStartStillStartsTheStream() {
    List<StreamEvent> events =
        decode(
            new Frame.Sse(null, "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"A\"}}"),
            new Frame.JsonLine("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"B\"}}"),
            event("{\"type\":\"message_stop\"}"));

    assertThat(events)
        .containsExactly(
            new StreamEvent.Started(null, null),
            new StreamEvent.TextDelta(0, "A"),
            new StreamEvent.TextDelta(0, "B"),
            new StreamEvent.Finish(0, FinishReason.STOP, null));
  }

  @Test
  void pingsUnknownEventsAndSignaturesYieldNothing() {
    var decoder = new AnthropicStreamDecoder();
    decoder.onFrame(event("{\"type\":\"message_start\",\"message\":{\"id\":\"m\"}}"));

    assertThat(decoder.onFrame(event("{\"type\":\"ping\"}"))).isEmpty();
    assertThat(decoder.onFrame(event("{\"type\":\"brand_new_event\",\"x\":[1,{\"y\":2}]}"))).isEmpty();
    assertThat(decoder.onFrame(event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"abc\"}}")))
        .isEmpty();
    assertThat(decoder.onFrame(new Frame.Sse("ping", ""))).isEmpty();
  }

  @Test
  void anErrorBeforeAnythingElseIsOnlyAFailure() {
    List<StreamEvent> events =
        decode(event("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"));

    assertThat(events).containsExactly(new StreamEvent.Failure(
        new UpstreamError(Kind.RATE_LIMITED, 429, null, "slow down",
            "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}")));
  }

  @Test
  void anErrorOfAnUnknownTypeIsAServerFailureWithTheStatusItCameWith() {
    List<StreamEvent> events = decode(event("{\"type\":\"error\",\"error\":{\"type\":\"novel_error\",\"message\":\"?\"}}"));

    assertThat(((StreamEvent.Failure) events.getLast()).error())
        .extracting(UpstreamError::kind, UpstreamError::status, UpstreamError::message)
        .containsExactly(Kind.SERVER, 200, "?");
  }

  @Test
  void aFrameThatIsNotJsonFailsTheStreamAsMalformedAndReportsTheUsageSoFar() {
    List<StreamEvent> events =
        decode(
            event("{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}"),
            new Frame.Sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"),
            event("{\"type\":\"message_stop\"}"));

    assertThat(events).hasSize(3);
    assertThat(events.get(1)).isEqualTo(new StreamEvent.UsageReport(Usage.of(9, 1)));
    assertThat(((StreamEvent.Failure) events.get(2)).error().kind()).isEqualTo(Kind.MALFORMED);
  }

  @Test
  void toolCallsAreNumberedByOrdinalNotByBlockIndex() {
    List<StreamEvent> events =
        decode(
            event("{\"type\":\"message_start\",\"message\":{\"id\":\"m\"}}"),
            event("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}"),
            event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}}"),
            event("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
            event("{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"a\",\"input\":{}}}"),
            event("{\"type\":\"content_block_start\",\"index\":3,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"b\",\"input\":{}}}"),
            event("{\"type\":\"content_block_delta\",\"index\":3,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"x\\\":1}\"}}"),
            event("{\"type\":\"content_block_stop\",\"index\":3}"),
            event("{\"type\":\"content_block_stop\",\"index\":2}"),
            event("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"}}"),
            event("{\"type\":\"message_stop\"}"));

    assertThat(events)
        .containsExactly(
            new StreamEvent.Started("m", null),
            new StreamEvent.ReasoningDelta(0, "hmm"),
            new StreamEvent.ToolCallDelta(0, 0, "t1", "a", ""),
            new StreamEvent.ToolCallDelta(0, 1, "t2", "b", ""),
            new StreamEvent.ToolCallDelta(0, 1, null, null, "{\"x\":1}"),
            new StreamEvent.ToolCallDelta(0, 0, null, null, "{}"),
            new StreamEvent.Finish(0, FinishReason.TOOL_CALLS, "tool_use"));
  }

  @Test
  void anAnswerToolBesideARealToolCallStillFinishesWithToolCalls() {
    List<StreamEvent> events =
        decode(
            event("{\"type\":\"message_start\",\"message\":{\"id\":\"m\"}}"),
            event("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"json_answer\",\"input\":{}}}"),
            event("{\"type\":\"content_block_stop\",\"index\":0}"),
            event("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"lookup\",\"input\":{}}}"),
            event("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"}}"),
            event("{\"type\":\"message_stop\"}"));

    assertThat(events)
        .containsExactly(
            new StreamEvent.Started("m", null),
            new StreamEvent.TextDelta(0, "{}"),
            new StreamEvent.ToolCallDelta(0, 0, "t2", "lookup", ""),
            new StreamEvent.Finish(0, FinishReason.TOOL_CALLS, "tool_use"));
  }

  @Test
  void laterCumulativeUsageReplacesEarlierCounts() {
    List<StreamEvent> events =
        decode(
            event("{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":5,\"output_tokens\":1}}}"),
            event("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":7,\"cache_read_input_tokens\":6}}"),
            event("{\"type\":\"message_stop\"}"));

    assertThat(events).contains(new StreamEvent.UsageReport(new Usage(16, 7, 6L, null, null, false)));
  }

  @Test
  void aStreamWithoutAnyFrameFailsAsReset() {
    assertThat(decode()).containsExactly(new StreamEvent.Failure(
        UpstreamError.of(Kind.RESET, 200, "upstream stream ended before it finished")));
  }
}
