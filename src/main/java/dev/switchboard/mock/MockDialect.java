package dev.switchboard.mock;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One provider's wire format as the mock speaks it: how a request is read and authenticated, and
 * how an answer, a stream and an error are spelled. {@link MockUpstream} picks the dialect by the
 * request path; what is answered ({@link MockAnswers}), the faults ({@link MockFaults}), pacing
 * ({@link MockStream}) and counters ({@link MockStats}) are the same for every dialect.
 *
 * <p>Implementations are stateless and thread-safe.
 */
interface MockDialect {
  /**
   * Checks the request's credentials against the mock's key.
   *
   * @return null when the request presents {@code apiKey} as this provider expects, else the
   *     status and body the provider answers a bad or missing key with
   */
  @Nullable Rejection authenticate(MockCall call, String apiKey);

  /**
   * Reads a request.
   *
   * @throws IllegalArgumentException with a client-safe message, answered as a 400 in this
   *     dialect's error shape
   */
  MockRequest parse(JsonNode body, MockCall call);

  /** The response id of the mock's {@code n}-th answer, spelled as this provider spells ids. */
  String responseId(long n);

  /** A whole (non-streamed) answer; {@code withUsage} false leaves usage out. */
  byte[] completion(MockReply reply, MockAnswer answer, boolean withUsage);

  /**
   * Headers that go with a successful answer, whole or streamed (Bedrock's {@code
   * x-amzn-RequestId}, its only response id); by default none.
   */
  default Map<String, String> responseHeaders(MockReply reply) {
    return Map.of();
  }

  /**
   * The events of a streamed answer, in order, without an end-of-stream sentinel.
   *
   * @param pieces how many parts each streamed text is split into
   * @param usage whether to report usage
   */
  List<? extends MockFrame> events(MockReply reply, MockAnswer answer, int pieces, boolean usage);

  /** The content type of a streamed answer; by default server-sent events. */
  default String streamContentType() {
    return "text/event-stream";
  }

  /** What follows the last event (OpenAI's {@code [DONE]}), or null when the body just ends. */
  @Nullable Buffer endOfStream();

  /**
   * The event a stream that fails after it started ends with.
   *
   * @param status the status whose error to report ({@code #mock:error-status}), or null for the
   *     failure this provider typically sends mid-stream
   */
  MockFrame streamError(@Nullable Integer status, String message);

  /** The error body this provider sends with a non-2xx {@code status}. */
  byte[] error(int status, String message);

  /** Headers that go with an error status; by default {@code retry-after: 1} on a 429. */
  default Map<String, String> errorHeaders(int status) {
    return status == 429 ? Map.of("retry-after", "1") : Map.of();
  }

  /** A refused request: the status, the provider's error body and any headers that go with it. */
  final class Rejection {
    final int status;
    final byte[] body;
    final Map<String, String> headers;

    Rejection(int status, byte[] body) {
      this(status, body, Map.of());
    }

    Rejection(int status, byte[] body, Map<String, String> headers) {
      this.status = status;
      this.body = body;
      this.headers = Map.copyOf(headers);
    }
  }
}
