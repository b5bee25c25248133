package dev.switchboard.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
   * Commits a group in one transaction: all of it is stored or none. The journal rows of {@code
   * started} are inserted; each {@code settled} record is stored only if this transaction deletes
   * its journal row (else it was recovered meanwhile and its recovered record stands; it is left
   * out and its id returned); each {@code unjournaled} record is stored as it is. For each stored
   * record with a cost, the same transaction appends its charge to the ledger (at most one per
   * generation id), adds the cost to its account's usage total and to its key's running usage
   * counters (what keeps {@link KeyRepository#usage} current); every stored record is also counted
   * in the daily rollup that {@link #activity} reads.
   *
   * @return the ids of the settled records left out because their journal row was already gone
   * @throws StoreException if anything cannot be stored (for example a duplicate id)
   */
  Set<String> commit(WriteBatch batch);

  /** {@link #commit} of records that have no journal rows: all are stored or none is. */
  default void insertAll(List<GenerationRecord> records) {
    commit(WriteBatch.of(records));
  }

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

  /** Gives back what the repository holds open (the writer's connection); call before the pool closes. */
  default void close() {}
}
