package dev.switchboard.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Counters a test reads to see what reached the upstream. Thread-safe: the server's event loops
 * update it concurrently and tests read it from their own thread.
 */
public final class MockStats {
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong streamsStarted = new AtomicLong();
  private final AtomicLong streamsCompleted = new AtomicLong();
  private final AtomicLong streamsCancelled = new AtomicLong();
  private final AtomicLong requestsAbandoned = new AtomicLong();
  // Body and headers are replaced together so a reader never sees one request's body with
  // another's headers.
  private final AtomicReference<LastRequest> last = new AtomicReference<>(LastRequest.NONE);

  /**
   * A consistent-enough copy of the counters (each read atomically).
   *
   * @param requests chat requests (in any dialect) and embeddings requests received, whatever their outcome
   * @param streamsStarted streamed responses whose headers were sent
   * @param streamsCompleted streams the mock ended itself, normally or with an error frame
   * @param streamsCancelled streams whose client closed the connection before they ended
   * @param requestsAbandoned requests whose client closed the connection before the mock started
   *     answering (during the first-byte delay, typically); a cancelled stream is not counted here
   * @param lastRequest body of the last chat or embeddings request, or null (none yet, or not JSON);
   *     shared, so treat it as read-only
   * @param lastHeaders headers of that request, names lower-cased, repeated values joined by ", "
   * @param lastUri path and query of that request (which dialect it spoke, with which parameters)
   * @param lastProtocol the HTTP version it came over ({@code HTTP/1.1}, {@code HTTP/2}), or "" (none yet)
   */
  public record Snapshot(
      long requests,
      long streamsStarted,
      long streamsCompleted,
      long streamsCancelled,
      long requestsAbandoned,
      @Nullable JsonNode lastRequest,
      Map<String, String> lastHeaders,
      String lastUri,
      String lastProtocol) {
    public Snapshot {
      lastHeaders = Map.copyOf(lastHeaders);
    }

    /** The snapshot as {@code GET /mock/stats} shows it. */
    ObjectNode toJson(JsonNodeFactory nodes) {
      ObjectNode root = nodes.objectNode();
      root.put("requests", requests);
      root.put("streams_started", streamsStarted);
      root.put("streams_completed", streamsCompleted);
      root.put("streams_cancelled", streamsCancelled);
      root.put("requests_abandoned", requestsAbandoned);
      root.set("last_request", lastRequest);
      root.put("last_uri", lastUri);
      root.put("last_protocol", lastProtocol);
      ObjectNode headers = root.putObject("last_headers");
      lastHeaders.forEach(headers::put);
      return root;
    }
  }

  private record LastRequest(@Nullable JsonNode body, Map<String, String> headers, String uri, String protocol) {
    static final LastRequest NONE = new LastRequest(null, Map.of(), "", "");
  }

  MockStats() {}

  void request(@Nullable JsonNode body, Map<String, String> headers, String uri, String protocol) {
    requests.incrementAndGet();
    last.set(new LastRequest(body, headers, uri, protocol));
  }

  void streamStarted() {
    streamsStarted.incrementAndGet();
  }

  void streamCompleted() {
    streamsCompleted.incrementAndGet();
  }

  void streamCancelled() {
    streamsCancelled.incrementAndGet();
  }

  void requestAbandoned() {
    requestsAbandoned.incrementAndGet();
  }

  /** Zeroes the counters and forgets the last request. */
  public void reset() {
    requests.set(0);
    streamsStarted.set(0);
    streamsCompleted.set(0);
    streamsCancelled.set(0);
    requestsAbandoned.set(0);
    last.set(LastRequest.NONE);
  }

  public Snapshot snapshot() {
    LastRequest request = last.get();
    return new Snapshot(
        requests.get(),
        streamsStarted.get(),
        streamsCompleted.get(),
        streamsCancelled.get(),
        requestsAbandoned.get(),
        request.body(),
        request.headers(),
        request.uri(),
        request.protocol());
  }
}
