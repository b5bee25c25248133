package dev.switchboard.store;

import java.util.List;

/**
 * What one group commit writes, in one transaction.
 *
 * @param started journal rows of requests about to make their first upstream attempt
 * @param settled generations of journaled requests: each is stored only if its journal row is
 *     still there to delete (it was not recovered meanwhile)
 * @param unjournaled generations that never had a journal row (imports, tests): stored as they are
 * @param fileJournaled generations of requests journaled in {@link JournalFiles}, settled or
 *     recovered: each is stored unless a generation with its id is stored already (recovery, or the
 *     request's own settlement, was first)
 */
public record WriteBatch(List<InFlight> started, List<GenerationRecord> settled,
    List<GenerationRecord> unjournaled, List<GenerationRecord> fileJournaled) {
  public WriteBatch {
    started = List.copyOf(started);
    settled = List.copyOf(settled);
    unjournaled = List.copyOf(unjournaled);
    fileJournaled = List.copyOf(fileJournaled);
  }

  /** A batch without generations of file-journaled requests. */
  public WriteBatch(List<InFlight> started, List<GenerationRecord> settled, List<GenerationRecord> unjournaled) {
    this(started, settled, unjournaled, List.of());
  }

  /** Generations of file-journaled requests alone. */
  public static WriteBatch fileJournaled(List<GenerationRecord> records) {
    return new WriteBatch(List.of(), List.of(), List.of(), records);
  }

  /** How many generation records the batch holds. */
  public int records() {
    return settled.size() + unjournaled.size() + fileJournaled.size();
  }

  /** Records without journal rows. */
  public static WriteBatch of(List<GenerationRecord> records) {
    return new WriteBatch(List.of(), List.of(), records);
  }

  public boolean isEmpty() {
    return started.isEmpty() && records() == 0;
  }
}
