package dev.switchboard.accounting;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A request about to make its first upstream attempt, as the attempt journal records it.
 *
 * @param provider the first planned endpoint's provider, whose prices the estimate uses
 * @param estimate what the request is charged if it is recovered rather than settled
 */
public record InFlightAttempt(
    String generationId,
    String keyHash,
    String accountId,
    String model,
    @Nullable String provider,
    @Nullable String providerModel,
    boolean streamed,
    WorstCase estimate,
    Instant startedAt) {
  public InFlightAttempt {
    requireNonNull(generationId, "generationId");
    requireNonNull(keyHash, "keyHash");
    requireNonNull(accountId, "accountId");
    requireNonNull(model, "model");
    requireNonNull(estimate, "estimate");
    requireNonNull(startedAt, "startedAt");
  }
}
