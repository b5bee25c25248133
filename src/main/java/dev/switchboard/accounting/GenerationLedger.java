package dev.switchboard.accounting;

import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.Settling;
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
  CompletableFuture<Void> record(GenerationRecord generation);

  /**
   * Journals a request about to make its first upstream attempt; completes once the journal row
   * is durable, which must happen before any byte goes upstream. The request must then end with
   * {@link #settle}; if its node stops first, the row is recovered: settled at its estimate.
   */
  CompletableFuture<Void> start(InFlightAttempt attempt);

  /**
   * {@link #record} for a journaled request: stores the record, its charge and counters, and
   * deletes its journal row, in one transaction. If the row was already recovered (its node was
   * taken for dead) nothing is stored and the recovered record stands; the commit completes
   * normally either way. The settlement may be {@linkplain Settling#durable durable} before its
   * commit (see {@link #caughtUp}).
   */
  Settling settle(GenerationRecord generation);

  /**
   * Completes once every settlement that was durable before its commit, up to now, is committed:
   * a read of the books waits for it, so it sees every request answered before it.
   */
  CompletableFuture<Void> caughtUp();

  Optional<GenerationRecord> find(String id);

  /**
   * Generations per UTC day, model and provider from {@code from} to {@code to} (inclusive),
   * newest day first; summed over every key, or only {@code keyHash}'s.
   */
  List<DailyUsage> activity(LocalDate from, LocalDate to, @Nullable String keyHash);
}
