package dev.switchboard.it.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.store.Database;
import dev.switchboard.store.TestStores;
import java.util.Set;

/**
 * The books after gateways died with attempts in flight and those were recovered, checked in SQL:
 * no journal rows left; every request the upstream saw has a generation; one recovered generation
 * per journal row the dead left; every completed response's generation stored unrecovered; one
 * charge per priced generation, equal to its cost; the charges' sum equal to the generations'
 * costs, the accounts' usage and the keys' counters; the daily rollup counting every generation.
 * Shared by the single-node crash test and the cluster's node-kill test.
 */
public final class Books {
  /** What the books hold once balanced, for the tests' printed figures. */
  public record Totals(long generations, long recovered, long costNanos) {}

  private Books() {}

  /**
   * @param upstreamRequests requests the mock upstream received (each may have cost money)
   * @param recoveredRows journal rows the dead nodes left, each to become one recovered generation
   * @param completed generation ids of responses the clients received in full
   */
  public static Totals assertBalanced(Database books, long upstreamRequests, long recoveredRows, Set<String> completed) {
    assertThat(TestStores.unsettled(books)).as("unsettled journal rows").isZero();
    long generations = count(books, "SELECT count(*) FROM generations");
    long recovered = count(books, "SELECT count(*) FROM generations WHERE recovered");
    // No lost charge: every request the upstream saw (and every one journaled) has a generation.
    assertThat(generations).as("generations against requests the upstream saw").isGreaterThanOrEqualTo(upstreamRequests);
    assertThat(recovered).as("recovered generations against journal rows left").isEqualTo(recoveredRows);
    assertThat(count(books, "SELECT count(*) FROM generations WHERE recovered AND cost_nanos <= 0")).isZero();
    for (String id : completed) {
      assertThat(count(books, "SELECT count(*) FROM generations WHERE id = '" + id + "' AND NOT recovered"))
          .as("completed generation " + id).isEqualTo(1);
    }
    // No double charge: one charge per priced generation, none for another.
    assertThat(count(books, "SELECT count(*) FROM ledger WHERE kind = 'charge'"))
        .isEqualTo(count(books, "SELECT count(*) FROM generations WHERE cost_nanos > 0"));
    assertThat(count(books, "SELECT count(DISTINCT generation_id) FROM ledger WHERE kind = 'charge'"))
        .isEqualTo(count(books, "SELECT count(*) FROM ledger WHERE kind = 'charge'"));
    assertThat(count(books, "SELECT count(*) FROM ledger l WHERE kind = 'charge' AND NOT EXISTS"
        + " (SELECT 1 FROM generations g WHERE g.id = l.generation_id AND -l.amount_nanos = g.cost_nanos)"))
        .as("charges without their generation, or of another amount").isZero();
    // The ledger's charges are the generations' costs, and the running totals agree.
    long costs = count(books, "SELECT COALESCE(SUM(cost_nanos), 0) FROM generations");
    assertThat(costs).isPositive();
    assertThat(count(books, "SELECT COALESCE(-SUM(amount_nanos), 0) FROM ledger WHERE kind = 'charge'"))
        .isEqualTo(costs);
    assertThat(count(books, "SELECT SUM(usage_nanos) FROM accounts")).isEqualTo(costs);
    assertThat(count(books, "SELECT SUM(total_nanos) FROM key_usage")).isEqualTo(costs);
    assertThat(count(books, "SELECT SUM(requests) FROM usage_daily")).isEqualTo(generations);
    return new Totals(generations, recovered, costs);
  }

  private static long count(Database books, String sql) {
    return TestStores.scalar(books, sql);
  }
}
