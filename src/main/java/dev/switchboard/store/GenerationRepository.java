package dev.switchboard.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Generation records. Writes go through {@link GenerationWriter}, which batches them; reads are
 * direct. Implementations are thread-safe.
 *
 * <p>A record is never written alone: {@link #insertAll} applies its accounting in the same
 * transaction, so a record and its charge are durable together or not at all.
 */
public interface GenerationRepository {

  /**
   * Inserts all records in one transaction, with their accounting: all are stored or none is.
   * For each record with a cost, that transaction also appends its charge to the ledger (at most
   * one per generation id), adds the cost to its account's usage total and to its key's running
   * usage counters ({@link #insertAll} is what keeps {@link KeyRepository#usage} current); every
   * record is also counted in the daily rollup that {@link #activity} reads.
   *
   * @throws StoreException if any record cannot be stored (for example a duplicate id)
   */
  void insertAll(List<GenerationRecord> records);

  /** The record with this id ({@code gen-…}); empty until its batch has committed. */
  Optional<GenerationRecord> find(String id);

  /**
   * What a key has spent since {@code since} (inclusive): the sum of {@code cost_nanos}, 0 if
   * nothing. Served by the {@code (key_hash, created_at)} index, but still a scan of every record
   * since then: for audits and tests. Request paths read {@link KeyRepository#usage} instead.
   */
  long usageSince(String keyHash, Instant since);

  /**
   * Generations per UTC day, model and provider from {@code from} to {@code to} (both inclusive),
   * newest day first, from the daily rollup (so the cost is O(days × models), not O(records)).
   *
   * @param keyHash only this key's generations; null for every key's
   */
  List<ActivityRow> activity(LocalDate from, LocalDate to, @Nullable String keyHash);
}
