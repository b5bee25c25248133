package dev.switchboard.routing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one attempt, for the generation record, the routing explanation, health and
 * statistics.
 *
 * @param latencyMillis from sending the request to its answer (for a stream: to its first bytes)
 *     or its failure
 * @param error null when the attempt succeeded
 * @param startNanos {@link System#nanoTime()} when the attempt started, so later measurements
 *     (the first token of a stream) can be taken from the serving attempt rather than the request
 * @param role what part the attempt played beyond succeeding or failing
 * @param usage what a stream that broke after it started had used (reported, or estimated), so
 *     the explanation can show each part of a resumed answer; null otherwise
 * @param cost the cost of {@code usage}, USD; null when {@code usage} is
 */
public record AttemptOutcome(
    Attempt attempt,
    long latencyMillis,
    @Nullable UpstreamError error,
    long startNanos,
    Role role,
    @Nullable Usage usage,
    @Nullable BigDecimal cost) {

  /** The part an attempt played. */
  public enum Role {
    /** An ordinary attempt: it served the request, or failed before anything reached the client. */
    PLAIN,
    /** It served part of a stream that then broke; another endpoint continued it. */
    BROKEN,
    /** It continued a broken stream from where the last endpoint stopped. */
    RESUMED,
    /** A hedged attempt that lost the race to answer first and was cancelled. */
    HEDGE_LOST
  }

  public AttemptOutcome {
    requireNonNull(attempt, "attempt");
    requireNonNull(role, "role");
  }

  public AttemptOutcome(Attempt attempt, long latencyMillis, @Nullable UpstreamError error, long startNanos) {
    this(attempt, latencyMillis, error, startNanos, Role.PLAIN, null, null);
  }

  /** An outcome without a start time (taken as the moment of creation minus the latency). */
  public AttemptOutcome(Attempt attempt, long latencyMillis, @Nullable UpstreamError error) {
    this(attempt, latencyMillis, error, System.nanoTime() - latencyMillis * 1_000_000);
  }

  public boolean succeeded() {
    return error == null;
  }

  /** This (serving) attempt, once its stream broke after {@code usage} and another endpoint took over. */
  public AttemptOutcome broken(UpstreamError failure, Usage used, BigDecimal costUsd) {
    return new AttemptOutcome(attempt, latencyMillis, failure, startNanos, Role.BROKEN, used, costUsd);
  }

  /** This successful attempt as the continuation of a broken stream. */
  public AttemptOutcome asResumed() {
    return new AttemptOutcome(attempt, latencyMillis, error, startNanos, Role.RESUMED, usage, cost);
  }

  /** The explanation's word for the outcome: {@code success}, an error kind, {@code resumed}, {@code hedge_lost}. */
  public String label() {
    return switch (role) {
      case RESUMED -> "resumed";
      case HEDGE_LOST -> "hedge_lost";
      case PLAIN, BROKEN -> error == null ? "success" : error.kind().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
