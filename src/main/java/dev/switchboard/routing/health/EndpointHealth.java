package dev.switchboard.routing.health;

import dev.switchboard.core.UpstreamError;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Whether endpoints are fit to take traffic, from the outcomes of the attempts sent to them.
 *
 * <p>Implementations are thread-safe: every request reads and records concurrently. The in-process
 * {@link LocalEndpointHealth} is the default; a shared store can implement the same contract so
 * that all nodes of a cluster avoid the same failing endpoint.
 */
public interface EndpointHealth {

  /** How routing should treat the endpoint now. Read-only: claims nothing. */
  Verdict verdict(EndpointId endpoint);

  /**
   * Whether an attempt may go to the endpoint now. When its circuit is half-open this claims the
   * single probe, so that one request (not every request at once) finds out whether it recovered;
   * the claim ends with the next {@link #record} for the endpoint.
   */
  boolean tryAcquire(EndpointId endpoint);

  /**
   * Records how an attempt ended: {@code error} null for success. Failures that say nothing about
   * the endpoint (the request was bad, the client left) release a probe and count for nothing.
   */
  void record(EndpointId endpoint, @Nullable UpstreamError error);

  /** The endpoint's state, for the providers API and the routing explanation. */
  Snapshot snapshot(EndpointId endpoint);

  /** Whether a failure of this kind is the endpoint's doing (and so counts against it). */
  static boolean countsAgainst(UpstreamError error) {
    // The retryable kinds are exactly the endpoint's faults (connect, timeout, 429, 5xx, auth, …);
    // the others are the request's (400, content filter) or nobody's (cancelled, unknown).
    return error.retryable();
  }

  /** What routing should do with an endpoint. */
  sealed interface Verdict {
    /** Take traffic as usual. */
    record Healthy() implements Verdict {}

    /** Usable, but tried after the healthy endpoints: recent failures, or a circuit being probed. */
    record Unstable(String reason) implements Verdict {}

    /** Keep traffic away until {@code until}. */
    record Unavailable(Instant until, Cause cause, String reason) implements Verdict {}
  }

  /** Why an endpoint is unavailable. */
  enum Cause {
    /** Its circuit breaker is open. */
    CIRCUIT_OPEN,
    /** It answered 429 with a {@code Retry-After}. */
    RATE_LIMITED,
    /** It answered 503 (or 529) with a {@code Retry-After}. */
    OVERLOADED
  }

  /**
   * One endpoint's health.
   *
   * @param circuit {@code closed}, {@code open} or {@code half_open}
   * @param recentSuccesses successes within the health window
   * @param recentFailures failures within the health window
   * @param unavailableUntil when a {@code Retry-After} or an open circuit ends; null when neither holds
   */
  record Snapshot(String circuit, int consecutiveFailures, long recentSuccesses, long recentFailures,
      @Nullable Instant unavailableUntil) {
    public static final Snapshot UNKNOWN = new Snapshot("closed", 0, 0, 0, null);
  }

  /** Health that sees every endpoint as healthy and records nothing: for tests and tools. */
  static EndpointHealth none() {
    return new EndpointHealth() {
      @Override
      public Verdict verdict(EndpointId endpoint) {
        return new Verdict.Healthy();
      }

      @Override
      public boolean tryAcquire(EndpointId endpoint) {
        return true;
      }

      @Override
      public void record(EndpointId endpoint, @Nullable UpstreamError error) {}

      @Override
      public Snapshot snapshot(EndpointId endpoint) {
        return Snapshot.UNKNOWN;
      }
    };
  }
}
