package dev.switchboard.provider.transport;

import io.netty.handler.codec.http2.Http2Exception;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Tells a request an HTTP/2 server refused while closing its connection, safe to send again, from one
 * it dropped. A server closing a connection (nginx rotates them after 1,000 requests by default) sends
 * a GOAWAY naming the last stream it processes; streams above it were not processed and may be sent
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
   * {@code failure} of {@code request}, as a {@link Refused} when the request's connection received a
   * GOAWAY naming a lower last stream (or its stream was never opened): the server never processed it.
   * A connection that never received a GOAWAY (every HTTP/1.1 one) leaves the failure as it is.
   */
  Throwable classify(HttpClientRequest request, Throwable failure) {
    Integer last = lastStreamIds.get(request.connection());
    if (last == null) {
      return failure;
    }
    int streamId;
    try {
      streamId = request.streamId();
    } catch (RuntimeException notCreated) {
      // Vert.x 5.0 throws here when the request's HTTP/2 stream was never created: nothing was sent.
      return new Refused(failure);
    }
    return streamId > last ? new Refused(failure) : failure;
  }

  /**
   * Whether {@code failure} says the server refused the request while closing its connection: one
   * {@link #classify} recognised, one Vert.x closed for that reason itself ("Stream was closed (GOAWAY
   * …)", a stream above the GOAWAY's last stream), one the closing connection would not take at all,
   * or one whose sending broke because the server had closed the connection ("Broken pipe": the server
   * cannot have read the whole request, so it cannot have processed it) or found it closed already
   * (nothing sent).
   */
  static boolean refused(Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    return failure instanceof Refused
        || (failure instanceof Http2Exception || failure instanceof HttpClosedException) && message.contains("GOAWAY")
        || failure instanceof IOException && message.contains("Broken pipe")
        || failure instanceof ClosedChannelException;
  }

  /** A request the server did not process because it was closing the connection. */
  static final class Refused extends RuntimeException {
    Refused(Throwable cause) {
      super("refused by the server's GOAWAY", cause, false, false);
    }
  }
}
