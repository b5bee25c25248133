package dev.switchboard.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Generation records. Writes go through {@link GenerationWriter}, which batches them; reads are
 * direct. Implementations are thread-safe.
 */
public interface GenerationRepository {

  /**
   * Inserts all records in one transaction: all are stored or none is.
   *
   * @throws StoreException if any record cannot be stored (for example a duplicate id)
   */
  void insertAll(List<GenerationRecord> records);

  /** The record with this id ({@code gen-…}); empty until its batch has committed. */
  Optional<GenerationRecord> find(String id);

  /**
   * What a key has spent since {@code since} (inclusive): the sum of {@code cost_nanos}, 0 if
   * nothing. Served by the {@code (key_hash, created_at)} index.
   */
  long usageSince(String keyHash, Instant since);
}
