package dev.switchboard.accounting;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The durable record of one request: who asked, what served it, what it used and what it cost.
 *
 * @param status {@code success}, {@code error} or {@code cancelled}
 * @param provider the slug of the provider that served (or last failed)
 * @param usage null when nothing was generated
 * @param costUsd exact; zero when the generation failed or produced nothing
 * @param firstTokenMillis time to first token for streams, null otherwise
 * @param attempts how many upstream attempts were made
 * @param recovered settled by recovery at its reserved estimate, not by the request itself (the
 *     node running it stopped first); its usage is then the estimate
 * @param byok served with the account's own provider key; the cost is then the BYOK fee
 */
public record Generation(
    String id,
    String keyHash,
    String accountId,
    String model,
    @Nullable String provider,
    @Nullable String providerModel,
    @Nullable String upstreamId,
    String status,
    @Nullable String finishReason,
    @Nullable String nativeFinishReason,
    boolean streamed,
    @Nullable Usage usage,
    BigDecimal costUsd,
    long latencyMillis,
    @Nullable Long firstTokenMillis,
    int attempts,
    @Nullable Integer errorCode,
    @Nullable String errorMessage,
    Instant createdAt,
    boolean recovered,
    boolean byok) {
  public Generation {
    requireNonNull(id, "id");
    requireNonNull(keyHash, "keyHash");
    requireNonNull(accountId, "accountId");
    requireNonNull(model, "model");
    requireNonNull(status, "status");
    requireNonNull(costUsd, "costUsd");
    requireNonNull(createdAt, "createdAt");
  }
}
