package dev.switchboard.routing;

import dev.switchboard.core.GatewayException;
import dev.switchboard.core.UpstreamError;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns the last upstream failure of a request into the error its client receives. */
public final class UpstreamFailures {
  private UpstreamFailures() {}

  public static GatewayException toClientError(UpstreamError error, String provider, int attempts) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("provider_name", provider);
    if (error.raw() != null) {
      metadata.put("raw", error.raw());
    }
    if (error.status() != 0) {
      metadata.put("upstream_status", error.status());
    }
    metadata.put("attempts", attempts);
    String tried = attempts > 1 ? " (after " + attempts + " attempts)" : "";
    return switch (error.kind()) {
      case TIMEOUT, UPSTREAM_TIMEOUT -> new GatewayException.RequestTimeout(
          error.message() + tried, metadata);
      case RATE_LIMITED -> new GatewayException.RateLimited(
          provider + " is rate limiting requests" + tried + ": " + error.message(),
          error.retryAfter() == null ? null : Math.max(1, error.retryAfter().toSeconds()), metadata);
      case BAD_REQUEST, CONTENT_FILTER -> new GatewayException.InvalidRequest(
          null, provider + " rejected the request: " + error.message());
      default -> new GatewayException.UpstreamFailure(
          "upstream provider " + provider + " failed" + tried + ": " + error.message(), metadata);
    };
  }

  /**
   * The attempt loop ran out of time (routing.deadline) with endpoints still untried: a 408, as
   * for any other wait that ran too long, naming the last failure.
   */
  public static GatewayException deadlineExceeded(
      UpstreamError last, String provider, int attempts, Duration deadline) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("provider_name", provider);
    if (last.status() != 0) {
      metadata.put("upstream_status", last.status());
    }
    metadata.put("attempts", attempts);
    return new GatewayException.RequestTimeout("no endpoint answered within the routing deadline ("
        + deadline.toSeconds() + " s) after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
        + "; the last, " + provider + ", failed: " + last.message(), metadata);
  }
}
