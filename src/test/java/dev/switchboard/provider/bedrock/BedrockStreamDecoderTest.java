package dev.switchboard.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.FinishReason;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.StreamDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stream-decoder cases the recorded streams do not cover. */
class BedrockStreamDecoderTest {
  private final StreamDecoder decoder = new BedrockStreamDecoder();

  private static Frame event(String type, String payload) {
    return new Frame.EventStreamMessage(
        Map.of(":event-type", type, ":message-type", "event", ":content-type", "application/json"), payload);
  }

  private List<StreamEvent> feed(Frame... frames) {
    var events = new ArrayList<StreamEvent>();
    for (Frame frame : frames) {
      events.addAll(decoder.onFrame(frame));
    }
    return events;
  }

  @Test
  void aPayloadThatIsNotJsonFailsAsMalformedAfterReportingUsage() {
    List<StreamEvent> events = feed(
        event("messageStart", "{\"role\":\"assistant\"}"),
        event("metadata", "{\"usage\":{\"inputTokens\":3,\"outputTokens\":1}}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":"));

    assertThat(events).hasSize(3);
    assertThat(events.get(1)).isEqualTo(new StreamEvent.UsageReport(Usage.of(3, 1)));
    assertThat(events.get(2)).isInstanceOfSatisfying(StreamEvent.Failure.class, failure -> {
      assertThat(failure.error().kind()).isEqualTo(UpstreamError.Kind.MALFORMED);
      assertThat(failure.error().message()).contains("contentBlockDelta");
      assertThat(failure.error().raw()).isEqualTo("{\"contentBlockIndex\":0,\"delta\":{\"text\":");
    });
    assertThat(decoder.onEnd()).isEmpty();
  }

  @Test
  void aProtocolErrorMessageEndsTheStream() {
    List<StreamEvent> events = feed(new Frame.EventStreamMessage(
        Map.of(":message-type", "error", ":error-code", "InternalFailure", ":error-message", "try again"), ""));

    assertThat(events).singleElement().isInstanceOfSatisfying(StreamEvent.Failure.class, failure -> {
      assertThat(failure.error().kind()).isEqualTo(UpstreamError.Kind.SERVER);
      assertThat(failure.error().message()).isEqualTo("InternalFailure: try again");
    });
  }

  @Test
  void aValidationExceptionMidStreamIsABadRequest() {
    List<StreamEvent> events = feed(new Frame.EventStreamMessage(
        Map.of(":message-type", "exception", ":exception-type", "validationException"), "{\"message\":\"bad input\"}"));

    assertThat(events).singleElement().isInstanceOfSatisfying(StreamEvent.Failure.class, failure -> {
      assertThat(failure.error().kind()).isEqualTo(UpstreamError.Kind.BAD_REQUEST);
      assertThat(failure.error().status()).isEqualTo(400);
      assertThat(failure.error().raw()).isEqualTo("{\"message\":\"bad input\"}");
    });
  }

  @Test
  void toolInputWithoutAStartIsStillACallAndOtherFramesAreIgnored() {
    List<StreamEvent> events = feed(
        new Frame.Sse(null, "{}"),
        event("contentBlockDelta", "{\"delta\":{\"toolUse\":{\"input\":\"{}\"}},\"contentBlockIndex\":3}"),
        event("somethingNew", "{}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":4,\"delta\":{\"citation\":{\"title\":\"x\"}}}"),
        event("messageStop", "{\"stopReason\":\"tool_use\"}"));

    assertThat(events).containsExactly(
        new StreamEvent.Started(null, null),
        new StreamEvent.ToolCallDelta(0, 0, null, null, "{}"));
    assertThat(decoder.onEnd()).as("messageStop without metadata: finished, no usage")
        .containsExactly(new StreamEvent.Finish(0, FinishReason.TOOL_CALLS, "tool_use"));
  }

  @Test
  void toolBlocksLeftOpenAtMessageStopAreClosedInOrder() {
    List<StreamEvent> events = feed(
        event("contentBlockStart", "{\"contentBlockIndex\":2,\"start\":{\"toolUse\":{\"toolUseId\":\"b\",\"name\":\"g\"}}}"),
        event("contentBlockStart", "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":{\"toolUseId\":\"a\",\"name\":\"f\"}}}"),
        event("messageStop", "{}"),
        event("metadata", "{\"usage\":{\"inputTokens\":1,\"outputTokens\":2}}"));

    assertThat(events).containsExactly(
        new StreamEvent.Started(null, null),
        new StreamEvent.ToolCallDelta(0, 0, "b", "g", ""),
        new StreamEvent.ToolCallDelta(0, 1, "a", "f", ""),
        new StreamEvent.ToolCallDelta(0, 1, null, null, "{}"),
        new StreamEvent.ToolCallDelta(0, 0, null, null, "{}"),
        new StreamEvent.UsageReport(Usage.of(1, 2)),
        new StreamEvent.Finish(0, FinishReason.STOP, null));
    assertThat(feed(event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"late\"}}"))).isEmpty();
  }

  @Test
  void anExceptionBeforeAnythingElseIsTheOnlyEvent() {
    List<StreamEvent> events = feed(new Frame.EventStreamMessage(
        Map.of(":message-type", "exception", ":exception-type", "serviceUnavailableException"), "not json"));

    assertThat(events).singleElement().isInstanceOfSatisfying(StreamEvent.Failure.class, failure -> {
      assertThat(failure.error().kind()).isEqualTo(UpstreamError.Kind.SERVER);
      assertThat(failure.error().status()).isEqualTo(503);
      assertThat(failure.error().message()).isEqualTo("serviceUnavailableException");
    });
  }
}
