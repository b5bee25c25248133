package dev.switchboard.provider.transport;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.provider.UpstreamException;
import io.netty.handler.codec.http2.Http2Exception;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Translates the ways a connection can fail into {@link UpstreamError}s. */
final class TransportErrors {
  private TransportErrors() {}

  static UpstreamException translate(Throwable failure, String provider, String phase) {
    if (failure instanceof UpstreamException known) {
      return known;
    }
    return new UpstreamException(classify(failure, provider, phase));
  }

  /**
   * A failure of a request over HTTP/2 before any response. A GOAWAY that kept refusing it is a reset
   * (another endpoint may serve it). An HTTP/2 protocol failure says only "Http2Exception"; the likely
   * cause is a server that does not speak HTTP/2 (over plain http, most do not), which the operator
   * can fix in one line: classified as a failure to connect, so the request may go to the next
   * provider and the endpoint's health learns that this one cannot be reached. Anything else is left
   * to {@link #translate}.
   */
  static Throwable http2(Throwable failure, String provider) {
    if (GoAwayTracker.refused(failure)) {
      return new UpstreamException(UpstreamError.of(Kind.RESET, 0, "the connections to " + provider
          + " kept closing (HTTP/2 GOAWAY) before the request could be sent"));
    }
    if (!(failure instanceof Http2Exception)) {
      return failure;
    }
    return new UpstreamException(UpstreamError.of(Kind.CONNECT, 0, "could not connect to " + provider
        + ": the HTTP/2 exchange failed (" + failure.getMessage() + "). This provider is set to http2: true;"
        + " over plain http that needs a server that speaks HTTP/2 without TLS (h2c), so an HTTP/1.1-only"
        + " server needs http2: false"));
  }

  static UpstreamError classify(Throwable failure, String provider, String phase) {
    String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
    Kind kind;
    if (failure instanceof ConnectException
        || failure instanceof UnknownHostException
        || failure instanceof io.netty.channel.ConnectTimeoutException
        || message.contains("connection refused")) {
      kind = failure instanceof io.netty.channel.ConnectTimeoutException ? Kind.TIMEOUT : Kind.CONNECT;
    } else if (failure instanceof TimeoutException
        || failure.getClass().getSimpleName().contains("Timeout")
        || message.contains("timeout") || message.contains("timed out")) {
      kind = Kind.TIMEOUT;
    } else if (failure instanceof HttpClosedException
        || failure instanceof ClosedChannelException
        || message.contains("reset") || message.contains("closed") || message.contains("broken pipe")) {
      kind = Kind.RESET;
    } else {
      kind = Kind.OTHER;
    }
    String what = switch (kind) {
      case CONNECT -> "could not connect to " + provider;
      case TIMEOUT -> provider + " did not answer in time (" + phase + ")";
      case RESET -> "the connection to " + provider + " was closed (" + phase + ")";
      default -> "the request to " + provider + " failed (" + phase + "): " + failure.getClass().getSimpleName();
    };
    return new UpstreamError(kind, 0, null, what, null);
  }
}
