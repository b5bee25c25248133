package dev.switchboard.store;

import static dev.switchboard.store.TestStores.KEY_HASH;
import static dev.switchboard.store.TestStores.record;
import static dev.switchboard.store.TestStores.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attempt journal and crash recovery ({@link NodeJournal}, {@link InFlightWrites}), run against
 * each back-end by a subclass: a journaled request is settled exactly once, by its own settlement
 * or by recovery, whichever deletes its journal row first.
 */
public abstract class JournalContract {
  private static final Instant T0 = Instant.parse("2025-11-12T10:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final String ACCOUNT = Database.DEFAULT_ACCOUNT_ID;

  private TestStore store;
  private Database database;

  protected abstract TestStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
    database = store.open();
  }

  @AfterEach
  void close() {
    try {
      if (database != null) {
        database.close();
      }
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }

  private NodeJournal node(String name) {
    return new NodeJournal(database.dataSource(), database.generations(), name, LEASE, T0);
  }

  private static InFlight row(String id, NodeJournal node, long reservedNanos) {
    return new InFlight(id, node.id(), KEY_HASH, ACCOUNT, "mock/model", "mock", "model", true, 12, 100,
        reservedNanos, T0);
  }

  private void start(InFlight... rows) {
    database.generations().commit(new WriteBatch(List.of(rows), List.of(), List.of()));
  }

  private Set<String> settle(GenerationRecord... records) {
    return database.generations().commit(new WriteBatch(List.of(), List.of(records), List.of()));
  }

  private long charges(String generationId) {
    return scalar(database, "SELECT count(*) FROM ledger WHERE kind = 'charge' AND generation_id = '" + generationId + "'");
  }

  @Test
  void aSettlementStoresTheRecordAndDeletesItsJournalRowInOneTransaction() {
    NodeJournal node = node("a:1");
    node.heartbeat(T0);
    start(row("gen-1", node, 5_000));
    assertThat(node.pending()).isEqualTo(1);

    Set<String> dropped = settle(record("gen-1", KEY_HASH, 700, T0.plusSeconds(1)));

    assertThat(dropped).isEmpty();
    assertThat(node.pending()).isZero();
    assertThat(database.generations().find("gen-1").orElseThrow().costNanos()).isEqualTo(700);
    assertThat(database.generations().find("gen-1").orElseThrow().recovered()).isFalse();
    assertThat(charges("gen-1")).isEqualTo(1);
  }

  @Test
  void rowsOfALiveNodeAreNotOrphansAndRowsOfAnExpiredOneAre() {
    NodeJournal live = node("a:1");
    NodeJournal dead = node("b:1");
    live.heartbeat(T0);
    dead.heartbeat(T0.minus(LEASE).minusSeconds(1));
    start(row("gen-live", live, 1), row("gen-dead", dead, 2));
    NodeJournal never = node("c:1"); // never heartbeat: no node row at all
    start(row("gen-never", never, 3));

    assertThat(live.orphans(T0, 10)).extracting(InFlight::generationId).containsExactly("gen-dead", "gen-never");
    // Once the live node's lease has run out, its rows are orphans too.
    assertThat(live.orphans(T0.plus(LEASE), 10)).hasSize(3);
  }

  @Test
  void recoverySettlesAnOrphanAtItsReservedEstimateOnceMarkedRecovered() {
    NodeJournal crashed = node("a:1");
    crashed.heartbeat(T0);
    start(row("gen-1", crashed, 5_000));
    long usageBefore = scalar(database, "SELECT usage_nanos FROM accounts WHERE id = 'default'");

    NodeJournal restarted = node("a:1");
    restarted.heartbeat(T0.plusSeconds(2));
    assertThat(restarted.recoverOrphans(T0.plusSeconds(2))).as("the old life still holds its lease").isZero();
    assertThat(restarted.retireEarlierLives()).isEqualTo(1);
    assertThat(restarted.recoverOrphans(T0.plusSeconds(2))).isEqualTo(1);
    assertThat(restarted.recoverOrphans(T0.plusSeconds(3))).as("a second recovery finds nothing").isZero();

    GenerationRecord recovered = database.generations().find("gen-1").orElseThrow();
    assertThat(recovered.recovered()).isTrue();
    assertThat(recovered.costNanos()).isEqualTo(5_000);
    assertThat(recovered.usage().promptTokens()).isEqualTo(12);
    assertThat(recovered.usage().completionTokens()).isEqualTo(100);
    assertThat(recovered.usage().estimated()).isTrue();
    assertThat(recovered.status()).isEqualTo(GenerationRecord.Status.ERROR);
    assertThat(recovered.createdAt()).isEqualTo(T0);
    assertThat(charges("gen-1")).isEqualTo(1);
    assertThat(scalar(database, "SELECT amount_nanos FROM ledger WHERE generation_id = 'gen-1'")).isEqualTo(-5_000);
    assertThat(scalar(database, "SELECT usage_nanos FROM accounts WHERE id = 'default'")).isEqualTo(usageBefore + 5_000);
    assertThat(restarted.pending()).isZero();
  }

  @Test
  void aLateSettlementAfterRecoveryStoresNothing() {
    NodeJournal presumedDead = node("a:1");
    start(row("gen-1", presumedDead, 5_000)); // no heartbeat: its rows are orphans at once
    assertThat(node("b:1").recoverOrphans(T0)).isEqualTo(1);

    Set<String> dropped = settle(record("gen-1", KEY_HASH, 700, T0.plusSeconds(5)));

    assertThat(dropped).containsExactly("gen-1");
    assertThat(database.generations().find("gen-1").orElseThrow().costNanos()).isEqualTo(5_000);
    assertThat(charges("gen-1")).isEqualTo(1);
    assertThat(scalar(database, "SELECT count(*) FROM generations WHERE id = 'gen-1'")).isEqualTo(1);
  }

  @Test
  void aSettlementWhoseJournalRowWasLostRatherThanRecoveredIsStored() {
    // No row at all (a PostgreSQL crash can lose the last asynchronously committed ones): the
    // request's own record is the only one there will be, so it is stored and charged.
    Set<String> dropped = settle(record("gen-1", KEY_HASH, 700, T0));

    assertThat(dropped).isEmpty();
    assertThat(charges("gen-1")).isEqualTo(1);
  }

  @Test
  void aSettlementBeforeRecoveryLeavesRecoveryNothing() {
    NodeJournal node = node("a:1");
    start(row("gen-1", node, 5_000));
    settle(record("gen-1", KEY_HASH, 700, T0.plusSeconds(1)));

    assertThat(node("b:1").recoverOrphans(T0.plusSeconds(60))).isZero();
    assertThat(charges("gen-1")).isEqualTo(1);
    assertThat(database.generations().find("gen-1").orElseThrow().recovered()).isFalse();
  }

  @Test
  void concurrentRecoveriesAndSettlementsChargeEachGenerationExactlyOnce() throws Exception {
    NodeJournal crashed = node("a:1");
    List<InFlight> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      rows.add(row("gen-%03d".formatted(i), crashed, 1_000 + i));
    }
    start(rows.toArray(InFlight[]::new));

    RecoveryRace.run(database, List.of(node("r:0"), node("r:1"), node("r:2"), node("r:3")), T0.plusSeconds(60), 300,
        i -> settle(record("gen-%03d".formatted(i), KEY_HASH, 7, T0.plusSeconds(1))));

    assertThat(scalar(database, "SELECT count(*) FROM in_flight")).isZero();
  }

  @Test
  void theWriterCommitsStartsAndSettlementsInItsGroups() throws Exception {
    NodeJournal node = node("a:1");
    node.heartbeat(T0);
    try (GenerationWriter writer = GenerationWriter.create(database.generations())) {
      writer.start(row("gen-1", node, 500)).get();
      assertThat(node.pending()).isEqualTo(1);
      writer.settle(record("gen-1", KEY_HASH, 300, T0)).committed().get();
      assertThat(node.pending()).isZero();
      assertThat(charges("gen-1")).isEqualTo(1);
      // A settlement whose row was recovered completes normally and writes nothing.
      writer.start(row("gen-2", node, 500)).get();
      node.release();
      assertThat(node("b:1").recoverOrphans(T0)).isEqualTo(1);
      writer.settle(record("gen-2", KEY_HASH, 300, T0)).committed().get();
      assertThat(database.generations().find("gen-2").orElseThrow().costNanos()).isEqualTo(500);
    }
  }
}
