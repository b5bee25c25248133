package dev.switchboard.accounting;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Where generations are recorded. Implementations group-commit: {@link #record} completes once
 * the record is durable, and many concurrent records share one transaction. Thread-safe.
 */
public interface GenerationLedger {

  /**
   * Completes when the record is durable, together with its accounting: the charge of its cost to
   * its account's ledger (once per generation id) and its key's usage counters, in the same
   * transaction. Fails when it could not be written; then nothing of it was.
   */
  CompletableFuture<Void> record(Generation generation);

  Optional<Generation> find(String id);

  /**
   * Generations per UTC day, model and provider from {@code from} to {@code to} (inclusive),
   * newest day first; summed over every key, or only {@code keyHash}'s.
   */
  List<DailyUsage> activity(LocalDate from, LocalDate to, @Nullable String keyHash);
}
