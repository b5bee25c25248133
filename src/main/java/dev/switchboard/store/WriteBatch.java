package dev.switchboard.store;

import java.util.List;

/**
 * What one group commit writes, in one transaction.
 *
 * @param started journal rows of requests about to make their first upstream attempt
 * @param settled generations of journaled requests: each is stored only if its journal row is
 *     still there to delete (it was not recovered meanwhile)
 * @param unjournaled generations that never had a journal row (imports, tests): stored as they are
 */
public record WriteBatch(
    List<InFlight> started, List<GenerationRecord> settled, List<GenerationRecord> unjournaled) {
  public WriteBatch {
    started = List.copyOf(started);
    settled = List.copyOf(settled);
    unjournaled = List.copyOf(unjournaled);
  }

  /** Records without journal rows. */
  public static WriteBatch of(List<GenerationRecord> records) {
    return new WriteBatch(List.of(), List.of(), records);
  }

  public boolean isEmpty() {
    return started.isEmpty() && settled.isEmpty() && unjournaled.isEmpty();
  }
}
