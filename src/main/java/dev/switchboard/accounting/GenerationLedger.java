package dev.switchboard.accounting;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where generations are recorded. Implementations group-commit: {@link #record} completes once
 * the record is durable, and many concurrent records share one transaction. Thread-safe.
 */
public interface GenerationLedger {

  /** Completes when the record is durable; fails when it could not be written. */
  CompletableFuture<Void> record(Generation generation);

  Optional<Generation> find(String id);

  /** The total cost of the key's generations since {@code since}. */
  BigDecimal usageSince(String keyHash, Instant since);
}
