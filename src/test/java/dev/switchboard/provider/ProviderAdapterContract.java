package dev.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.UpstreamError;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ProviderAdapter} honours, written once and run against each adapter
 * (STYLE.md, "One contract suite"): a test class {@code implements ProviderAdapterContract} and
 * supplies the adapter and samples of its wire format; the default {@code @Test} methods here do
 * the checking.
 *
 * <p>Stream samples are raw bodies in the adapter's own framing; the contract frames them with the
 * shared readers, as the transport would, so the decoder sees exactly what it will see in
 * production.
 */
public interface ProviderAdapterContract {

  /** The adapter under test. */
  ProviderAdapter adapter();

  /** Where requests go; any plausible target of this adapter's provider. */
  Target target();

  /** Requests that exercise the adapter's features (tools, images, schemas, extras, streaming). */
  List<ChatRequest> sampleRequests();

  /** Every finish/stop reason the provider documents, as it is spelled on the wire. */
  List<String> upstreamFinishReasons();

  /** A complete, successful streamed body whose only choice stops for {@code nativeReason}. */
  byte[] streamFinishingWith(String nativeReason);

  /** A successful non-streamed response whose only choice stops for {@code nativeReason}. */
  UpstreamResponse responseFinishingWith(String nativeReason);

  /** Recorded stream bodies: complete ones, ones that fail mid-stream, ones that are cut off. */
  List<byte[]> sampleStreams();

  /** An error response as the provider sends it for an HTTP status. */
  UpstreamResponse errorResponse(int status);

  /** Splits a body into frames the way the transport does for this adapter's framing. */
  default List<Frame> frames(byte[] body) {
    return StreamDecoding.frames(adapter().framing(), List.of(body));
  }

  /** Runs a fresh decoder over frames and then ends the stream. */
  default List<StreamEvent> decodeStream(List<Frame> frames) {
    return StreamDecoding.decode(adapter().newStreamDecoder(target()), frames);
  }

  @Test
  default void everyUpstreamFinishReasonMaps() {
    assertThat(upstreamFinishReasons()).as("the provider's finish reasons").isNotEmpty();
    for (String reason : upstreamFinishReasons()) {
      List<StreamEvent> events = decodeStream(frames(streamFinishingWith(reason)));
      assertThat(events.getLast())
          .as("last streamed event for finish reason '%s'", reason)
          .isInstanceOfSatisfying(
              StreamEvent.Finish.class, finish -> assertThat(finish.nativeReason()).isEqualTo(reason));

      ChatResponse response = adapter().decode(responseFinishingWith(reason), target());
      assertThat(response.first().finishReason()).as("decoded finish reason for '%s'", reason).isNotNull();
      assertThat(response.first().nativeFinishReason()).isEqualTo(reason);
      assertThat(((StreamEvent.Finish) events.getLast()).reason())
          .as("stream and response agree on '%s'", reason)
          .isEqualTo(response.first().finishReason());
    }
  }

  @Test
  default void nothingFollowsFinishOrFailure() {
    assertThat(sampleStreams()).isNotEmpty();
    for (byte[] body : sampleStreams()) {
      List<Frame> frames = frames(body);
      StreamDecoder decoder = adapter().newStreamDecoder(target());
      List<StreamEvent> events = StreamDecoding.decode(decoder, frames);
      String transcript = new String(body, StandardCharsets.UTF_8);

      int firstFinish = indexOfFirst(events, StreamEvent.Finish.class);
      if (firstFinish >= 0) {
        assertThat(events.subList(firstFinish, events.size()))
            .as("only Finish events may follow a Finish in\n%s", transcript)
            .allMatch(StreamEvent.Finish.class::isInstance);
      }
      int failure = indexOfFirst(events, StreamEvent.Failure.class);
      if (failure >= 0) {
        assertThat(failure).as("Failure is the last event in\n%s", transcript).isEqualTo(events.size() - 1);
        assertThat(firstFinish).as("no Finish alongside a Failure").isEqualTo(-1);
      }
      assertThat(events.stream().filter(StreamEvent.UsageReport.class::isInstance).count())
          .as("at most one UsageReport").isLessThanOrEqualTo(1);
      // A finished decoder stays finished, whatever else arrives.
      for (Frame frame : frames) {
        assertThat(decoder.onFrame(frame)).isEmpty();
      }
      assertThat(decoder.onEnd()).isEmpty();
    }
  }

  @Test
  default void onEndAlwaysEndsInFinishOrFailure() {
    for (byte[] body : sampleStreams()) {
      List<Frame> frames = frames(body);
      // Cut the stream after every frame, as a dropped connection would.
      for (int cut = 0; cut <= frames.size(); cut++) {
        List<StreamEvent> events = decodeStream(frames.subList(0, cut));
        assertThat(events).as("events after %d of %d frames", cut, frames.size()).isNotEmpty();
        assertThat(events.getLast())
            .as("last event after %d of %d frames", cut, frames.size())
            .isInstanceOfAny(StreamEvent.Finish.class, StreamEvent.Failure.class);
      }
    }
  }

  @Test
  default void encodeDoesNotMutateItsInputAndIsRepeatable() {
    assertThat(sampleRequests()).isNotEmpty();
    for (ChatRequest request : sampleRequests()) {
      ChatRequest before = request.withModel(request.model()); // an equal, separate instance
      UpstreamRequest first = adapter().encode(request, target());
      UpstreamRequest second = adapter().encode(request, target());
      assertThat(request).isEqualTo(before);
      assertThat(Arrays.equals(first.body(), second.body()))
          .as("encoding twice gives the same bytes for %s", request.model())
          .isTrue();
      assertThat(second.headers()).isEqualTo(first.headers());
      assertThat(second.path()).isEqualTo(first.path());
      assertThat(first.stream()).isEqualTo(request.stream());
    }
  }

  @Test
  default void classifyMarksRateLimitsAndServerErrorsRetryableButNotBadRequests() {
    for (int status : new int[] {429, 500, 502, 503, 504}) {
      UpstreamError error = adapter().classify(errorResponse(status));
      assertThat(error.retryable()).as("HTTP %d is retryable", status).isTrue();
      assertThat(error.status()).isEqualTo(status);
      assertThat(error.message()).isNotBlank();
    }
    UpstreamError badRequest = adapter().classify(errorResponse(400));
    assertThat(badRequest.retryable()).as("HTTP 400 is not retryable").isFalse();
    assertThat(badRequest.kind()).isEqualTo(UpstreamError.Kind.BAD_REQUEST);
  }

  @Test
  default void decodeRejectsABodyThatIsNotAResponse() {
    for (String body : List.of("", "not json", "[1,2,3]", "{\"object\":\"chat.completion\"}")) {
      var response = new UpstreamResponse(200, Map.of(), body.getBytes(StandardCharsets.UTF_8));
      assertThatThrownBy(() -> adapter().decode(response, target()))
          .as("decoding %s", body)
          .isInstanceOfSatisfying(
              UpstreamException.class, e -> assertThat(e.error().kind()).isEqualTo(UpstreamError.Kind.MALFORMED));
    }
  }

  private static int indexOfFirst(List<StreamEvent> events, Class<?> type) {
    for (int i = 0; i < events.size(); i++) {
      if (type.isInstance(events.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
