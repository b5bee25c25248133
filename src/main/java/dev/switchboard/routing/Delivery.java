package dev.switchboard.routing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A served request, once its answer has been written: what statistics and metrics learn from it.
 *
 * @param outcomes every attempt, the serving one last
 * @param firstTokenNanos {@link System#nanoTime()} at the first token of a stream; null for a
 *     non-streamed answer, or a stream that produced none
 * @param endNanos {@link System#nanoTime()} when the answer ended
 * @param usage the usage billed; null when none
 * @param cost what the request cost, USD
 * @param failure a failure after the answer started (a broken stream); null when it completed
 * @param clientGone the client left before the answer ended
 */
public record Delivery(
    List<AttemptOutcome> outcomes,
    boolean streamed,
    @Nullable Long firstTokenNanos,
    long endNanos,
    @Nullable Usage usage,
    BigDecimal cost,
    @Nullable UpstreamError failure,
    boolean clientGone) {
  public Delivery {
    outcomes = List.copyOf(outcomes);
    if (outcomes.isEmpty() || !outcomes.getLast().succeeded()) {
      throw new IllegalArgumentException("a delivery ends with the attempt that served it");
    }
    requireNonNull(cost, "cost");
  }

  public AttemptOutcome served() {
    return outcomes.getLast();
  }

  /** Time to first token from the start of the serving attempt, in milliseconds. */
  public long firstTokenMillis() {
    AttemptOutcome served = served();
    return firstTokenNanos == null ? served.latencyMillis() : (firstTokenNanos - served.startNanos()) / 1_000_000;
  }

  /**
   * Completion tokens per second of generation: from the first token to the end for a stream; over
   * the whole attempt for a non-streamed answer (which hides when generation started). Null when
   * no tokens were reported or no time passed.
   */
  public @Nullable Double tokensPerSecond() {
    if (usage == null || usage.completionTokens() <= 0 || failure != null || clientGone) {
      return null;
    }
    long startNanos = firstTokenNanos != null ? firstTokenNanos : served().startNanos();
    double seconds = (endNanos - startNanos) / 1e9;
    return seconds <= 0.001 ? null : usage.completionTokens() / seconds;
  }
}
