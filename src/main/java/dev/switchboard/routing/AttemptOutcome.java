package dev.switchboard.routing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.UpstreamError;
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
 */
public record AttemptOutcome(Attempt attempt, long latencyMillis, @Nullable UpstreamError error, long startNanos) {
  public AttemptOutcome {
    requireNonNull(attempt, "attempt");
  }

  /** An outcome without a start time (taken as the moment of creation minus the latency). */
  public AttemptOutcome(Attempt attempt, long latencyMillis, @Nullable UpstreamError error) {
    this(attempt, latencyMillis, error, System.nanoTime() - latencyMillis * 1_000_000);
  }

  public boolean succeeded() {
    return error == null;
  }
}
