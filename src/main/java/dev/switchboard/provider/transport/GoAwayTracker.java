package dev.switchboard.provider.transport;

import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Remembers the GOAWAY each open HTTP/2 connection received, to tell a request the server refused
 * from one it dropped. A server closing a connection (nginx rotates them after 1,000 requests by
 * default) names the last stream it processes; streams above it were not processed and may be sent
 * again (RFC 9113, section 6.8), while one at or below it may have reached the model. Thread-safe.
 */
final class GoAwayTracker {
  // Weak keys, not a removal on close: a connection's streams may learn of its close after its close
  // handler ran, and they still need its GOAWAY then. Written only when a GOAWAY arrives.
  private final Map<HttpConnection, Integer> lastStreamIds = Collections.synchronizedMap(new WeakHashMap<>());

  /** Watches a new connection (the client's connect handler). */
  void watch(HttpConnection connection) {
    connection.goAwayHandler(goAway -> lastStreamIds.put(connection, goAway.getLastStreamId()));
  }

  /**
   * Whether a failed request was refused by a GOAWAY: its connection received one naming a lower
   * last stream (or its stream was never opened), so the server never processed it.
   */
  boolean refused(HttpClientRequest request) {
    Integer last = lastStreamIds.get(request.connection());
    if (last == null) {
      return false;
    }
    int streamId;
    try {
      streamId = request.streamId();
    } catch (RuntimeException notCreated) {
      // Vert.x 5.0 throws here when the request's HTTP/2 stream was never created: nothing was sent.
      return true;
    }
    return streamId > last;
  }
}
