package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * A journal row: a request whose upstream attempts may have started and that has not settled
 * yet. Committed before the first upstream byte is sent; deleted in the transaction that stores
 * the request's generation and charge. One that outlives its node is recovered: settled at {@link
 * #reservedNanos} ({@link #recoveredRecord}).
 *
 * @param generationId the id the generation will have
 * @param nodeId the node running the request ({@link NodeLease})
 * @param provider the first planned endpoint's provider (the estimate is priced on it)
 * @param promptTokens the prompt estimate
 * @param completionTokens the completion cap the estimate assumed
 * @param reservedNanos the estimate: what the request is charged if it is recovered
 */
public record InFlight(
    String generationId,
    String nodeId,
    String keyHash,
    String accountId,
    String model,
    @Nullable String provider,
    @Nullable String providerModel,
    boolean streamed,
    long promptTokens,
    long completionTokens,
    long reservedNanos,
    Instant startedAt) {

  /** What a recovered generation says about itself. */
  public static final String RECOVERED_MESSAGE =
      "the gateway stopped before this request settled; it was charged at its reserved estimate";

  public InFlight {
    requireNonNull(generationId, "generationId");
    requireNonNull(nodeId, "nodeId");
    requireNonNull(keyHash, "keyHash");
    requireNonNull(accountId, "accountId");
    requireNonNull(model, "model");
    requireNonNull(startedAt, "startedAt");
    if (promptTokens < 0 || completionTokens < 0 || reservedNanos < 0) {
      throw new IllegalArgumentException("an in-flight estimate must not be negative");
    }
    startedAt = startedAt.truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * The generation this row settles as when recovered: an error (nobody knows how it ended) with
   * the estimate as its usage and cost, marked {@code recovered}, dated when it started (so its
   * charge counts in the key's window of that moment).
   */
  public GenerationRecord recoveredRecord(Instant now) {
    long latency = Math.max(0, now.toEpochMilli() - startedAt.toEpochMilli());
    return GenerationRecord.builder(generationId, keyHash, accountId, model, startedAt)
        .provider(provider, providerModel)
        .streamed(streamed)
        .usage(new dev.switchboard.core.Usage(promptTokens, completionTokens, null, null, null, true))
        .costNanos(reservedNanos)
        .latency(latency, null)
        .error(null, RECOVERED_MESSAGE)
        .recovered(true)
        .build();
  }
}
