package dev.switchboard.provider.transport;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.provider.UpstreamException;
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
