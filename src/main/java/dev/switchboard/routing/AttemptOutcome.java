package dev.switchboard.routing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.UpstreamError;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one attempt, for the generation record and the routing explanation.
 *
 * @param error null when the attempt succeeded
 */
public record AttemptOutcome(Attempt attempt, long latencyMillis, @Nullable UpstreamError error) {
  public AttemptOutcome {
    requireNonNull(attempt, "attempt");
  }

  public boolean succeeded() {
    return error == null;
  }
}
