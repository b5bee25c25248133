package dev.switchboard.store;

import static dev.switchboard.store.TestStores.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The exactly-once race of the journal tests, whichever journal holds the requests: recoveries by
 * several nodes at once racing late settlements of every third request, then the books checked.
 */
public final class RecoveryRace {
  private RecoveryRace() {}

  /**
   * Starts {@code recoverers} recovering at {@code recoverAt} and, at the same moment, {@code
   * settle} of every third index below {@code count}; once all are done, checks that each of the
   * {@code count} requests has one generation and one charge, and that the charges are the costs.
   */
  public static void run(Database database, List<NodeJournal> recoverers, Instant recoverAt, int count,
      IntConsumer settle) throws Exception {
    CyclicBarrier go = new CyclicBarrier(recoverers.size() + 1);
    List<Future<?>> done = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (NodeJournal recoverer : recoverers) {
        done.add(threads.submit(() -> {
          go.await();
          return recoverer.recoverOrphans(recoverAt);
        }));
      }
      // Late settlements of every third request race the recoveries.
      done.add(threads.submit(() -> {
        go.await();
        for (int i = 0; i < count; i += 3) {
          settle.accept(i);
        }
        return null;
      }));
      for (Future<?> future : done) {
        future.get();
      }
    }

    assertThat(scalar(database, "SELECT count(*) FROM generations")).isEqualTo(count);
    assertThat(scalar(database, "SELECT count(*) FROM ledger WHERE kind = 'charge'")).isEqualTo(count);
    assertThat(scalar(database, "SELECT count(DISTINCT generation_id) FROM ledger WHERE kind = 'charge'")).isEqualTo(count);
    assertThat(scalar(database, "SELECT -SUM(amount_nanos) FROM ledger WHERE kind = 'charge'"))
        .isEqualTo(scalar(database, "SELECT SUM(cost_nanos) FROM generations"));
  }
}
