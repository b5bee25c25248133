package dev.switchboard.accounting;

/**
 * A request's estimated worst case: what admission reserves, and what the request is charged if
 * the node running it stops before it settles (recovery).
 *
 * @param promptTokens the prompt estimate ({@link TokenEstimator})
 * @param completionTokens the completion cap assumed: {@code max_tokens}, else the endpoint's output
 *     cap, else its context less the prompt; 0 when nothing bounds it (then the estimate is the
 *     prompt alone)
 * @param costNanos the cost of both at the dearer of each pair of prices, plus flat prices, rounded
 *     up to a nano-USD
 */
public record WorstCase(long promptTokens, long completionTokens, long costNanos) {
  public WorstCase {
    if (promptTokens < 0 || completionTokens < 0 || costNanos < 0) {
      throw new IllegalArgumentException("a worst case is never negative");
    }
  }
}
