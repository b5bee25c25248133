package dev.switchboard.store.sqlite;

import static dev.switchboard.store.TestStores.KEY_HASH;
import static dev.switchboard.store.TestStores.record;
import static dev.switchboard.store.TestStores.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.store.Database;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.GenerationWriter;
import dev.switchboard.store.InFlight;
import dev.switchboard.store.JournalFiles;
import dev.switchboard.store.NodeJournal;
import dev.switchboard.store.RecoveryRace;
import dev.switchboard.store.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attempt journal in files ({@link JournalFiles}), as a SQLite node runs it: a journaled request
 * is settled exactly once, by its own settlement or by the recovery of its node's files, and a file
 * goes once everything in it has settled.
 */
class JournalFilesTest {
  private static final Instant T0 = Instant.parse("2025-11-12T10:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private Database database;
  private Path journal;

  @BeforeEach
  void open() {
    database = TestStores.open(dir.resolve("switchboard.db"));
    journal = database.journalDirectory();
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void theJournalDirectoryIsBesideTheDatabaseFile() {
    assertThat(journal).isEqualTo(dir.resolve("switchboard.db-attempts"));
  }

  private NodeJournal node(String name) {
    return new NodeJournal(database.dataSource(), database.generations(), journal, name, LEASE, T0);
  }

  /** A node whose lease runs from T0. */
  private NodeJournal liveNode(String name) {
    NodeJournal node = node(name);
    node.heartbeat(T0);
    return node;
  }

  private JournalFiles filesOf(NodeJournal node, long segmentBytes) {
    return JournalFiles.open(journal, node.id(), segmentBytes);
  }

  private static InFlight row(String id, NodeJournal node, long reservedNanos) {
    return new InFlight(id, node.id(), KEY_HASH, Database.DEFAULT_ACCOUNT_ID, "mock/model \"quoted\"\n",
        "mock", null, true, 12, 100, reservedNanos, T0);
  }

  private long charges(String generationId) {
    return scalar(database, "SELECT count(*) FROM ledger WHERE kind = 'charge' AND generation_id = '" + generationId + "'");
  }

  @Test
  void aStartIsInTheFileWhenItReturnsAndItsSettlementDeletesTheRotatedFile() throws Exception {
    NodeJournal node = liveNode("a:1");
    JournalFiles files = filesOf(node, 1);
    try (GenerationWriter writer = GenerationWriter.create(database.generations(), files)) {
      assertThat(writer.start(row("gen-1", node, 500))).isCompleted();
      // A 1-byte segment rotates after every line; the file stays while its request is in flight.
      assertThat(files.files()).hasSize(1);
      assertThat(Files.readString(files.files().getFirst())).contains("\"generation_id\":\"gen-1\"");
      assertThat(node.pending()).isEqualTo(1);
      assertThat(files.pending()).isEqualTo(1);

      writer.settle(record("gen-1", KEY_HASH, 300, T0)).committed().get();

      assertThat(files.files()).isEmpty();
      assertThat(files.pending()).isZero();
      assertThat(node.pending()).isZero();
      assertThat(charges("gen-1")).isEqualTo(1);
      assertThat(database.generations().find("gen-1").orElseThrow().costNanos()).isEqualTo(300);
    }
  }

  @Test
  void aCleanStopLeavesNoFileWhenEverythingSettledAndTheUnsettledOtherwise() throws Exception {
    NodeJournal node = liveNode("a:1");
    JournalFiles files = filesOf(node, JournalFiles.DEFAULT_SEGMENT_BYTES);
    try (GenerationWriter writer = GenerationWriter.create(database.generations(), files)) {
      writer.start(row("gen-1", node, 500)).get();
      writer.settle(record("gen-1", KEY_HASH, 300, T0)).committed().get();
      assertThat(files.files()).as("the active file stays until the stop").hasSize(1);
    }
    assertThat(files.files()).isEmpty();

    JournalFiles second = filesOf(node, JournalFiles.DEFAULT_SEGMENT_BYTES);
    try (GenerationWriter writer = GenerationWriter.create(database.generations(), second)) {
      writer.start(row("gen-2", node, 500)).get();
    }
    assertThat(second.files()).hasSize(1);
    assertThatThrownBy(() -> second.append(row("gen-3", node, 1))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void recoveryChargesAnOrphanedFilesUnsettledRequestsAtTheirEstimatesOnceAndDeletesIt() {
    NodeJournal crashed = liveNode("a:1");
    JournalFiles files = filesOf(crashed, JournalFiles.DEFAULT_SEGMENT_BYTES);
    files.append(row("gen-1", crashed, 5_000));
    files.append(row("gen-2", crashed, 7_000));
    // gen-2 settled before the crash; its line is still in the file.
    database.generations().commit(new dev.switchboard.store.WriteBatch(List.of(),
        List.of(record("gen-2", KEY_HASH, 700, T0)), List.of()));

    NodeJournal restarted = node("a:1");
    restarted.heartbeat(T0.plusSeconds(2));
    assertThat(restarted.recoverOrphans(T0.plusSeconds(2))).as("the old life still holds its lease").isZero();
    assertThat(restarted.pending()).isEqualTo(1);
    restarted.retireEarlierLives();
    assertThat(restarted.recoverOrphans(T0.plusSeconds(2))).isEqualTo(1);
    assertThat(restarted.recoverOrphans(T0.plusSeconds(3))).as("a second recovery finds nothing").isZero();

    GenerationRecord recovered = database.generations().find("gen-1").orElseThrow();
    assertThat(recovered.recovered()).isTrue();
    assertThat(recovered.costNanos()).isEqualTo(5_000);
    assertThat(recovered.model()).isEqualTo("mock/model \"quoted\"\n");
    assertThat(recovered.providerModel()).isNull();
    assertThat(recovered.usage().promptTokens()).isEqualTo(12);
    assertThat(recovered.usage().completionTokens()).isEqualTo(100);
    assertThat(recovered.streamed()).isTrue();
    assertThat(recovered.createdAt()).isEqualTo(T0);
    assertThat(charges("gen-1")).isEqualTo(1);
    assertThat(database.generations().find("gen-2").orElseThrow().recovered()).isFalse();
    assertThat(charges("gen-2")).isEqualTo(1);
    assertThat(files.files()).isEmpty();
    assertThat(restarted.pending()).isZero();
  }

  @Test
  void aLiveNodesFilesAreNotRecoveredAndALateSettlementAfterRecoveryStoresNothing() throws Exception {
    NodeJournal presumedDead = liveNode("a:1");
    JournalFiles files = filesOf(presumedDead, JournalFiles.DEFAULT_SEGMENT_BYTES);
    try (GenerationWriter writer = GenerationWriter.create(database.generations(), files)) {
      writer.start(row("gen-1", presumedDead, 5_000)).get();
      assertThat(node("b:1").recoverOrphans(T0.plusSeconds(1))).isZero();
      assertThat(presumedDead.recoverOrphans(T0.plus(LEASE).plusSeconds(1)))
          .as("a node never recovers its own files").isZero();

      assertThat(node("b:1").recoverOrphans(T0.plus(LEASE).plusSeconds(1))).isEqualTo(1);
      writer.settle(record("gen-1", KEY_HASH, 700, T0.plusSeconds(5))).committed().get();

      assertThat(database.generations().find("gen-1").orElseThrow().costNanos()).isEqualTo(5_000);
      assertThat(charges("gen-1")).isEqualTo(1);
      assertThat(files.pending()).as("settled, by recovery").isZero();
    }
  }

  @Test
  void aLineCutShortOrGarbledIsSkippedAndTheRestRecovered() throws Exception {
    NodeJournal crashed = node("a:1");
    JournalFiles files = filesOf(crashed, JournalFiles.DEFAULT_SEGMENT_BYTES);
    files.append(row("gen-1", crashed, 1_000));
    Path file = files.files().getFirst();
    Files.writeString(file, "{\"generation_id\": 7}\n\u0000\u0000\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    files.append(row("gen-2", crashed, 2_000));
    Files.writeString(file, "{\"generation_id\":\"gen-3\",\"key_", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    assertThat(node("b:1").recoverOrphans(T0)).isEqualTo(2);

    assertThat(scalar(database, "SELECT count(*) FROM generations")).isEqualTo(2);
    assertThat(scalar(database, "SELECT SUM(cost_nanos) FROM generations")).isEqualTo(3_000);
    assertThat(file).doesNotExist();
  }

  @Test
  void concurrentRecoveriesAndSettlementsChargeEachGenerationExactlyOnce() throws Exception {
    NodeJournal crashed = node("a:1");
    JournalFiles files = filesOf(crashed, 10_000); // several files
    for (int i = 0; i < 300; i++) {
      files.append(row("gen-%03d".formatted(i), crashed, 1_000 + i));
    }
    assertThat(files.files()).hasSizeGreaterThan(2);

    RecoveryRace.run(database, List.of(node("r:0"), node("r:1"), node("r:2"), node("r:3")), T0.plusSeconds(60), 300,
        i -> database.generations().commit(new dev.switchboard.store.WriteBatch(List.of(),
            List.of(record("gen-%03d".formatted(i), KEY_HASH, 7, T0.plusSeconds(1))), List.of())));

    assertThat(files.files()).isEmpty();
  }

  @Test
  void aJournalThatCannotBeWrittenFailsTheStartSoTheRequestIsNotAttempted() throws Exception {
    NodeJournal node = node("a:1");
    JournalFiles files = filesOf(node, 1); // a new file for every line
    try (GenerationWriter writer = GenerationWriter.create(database.generations(), files)) {
      writer.start(row("gen-1", node, 500)).get();
      try (var gone = Files.walk(journal)) {
        for (Path path : gone.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }

      assertThatThrownBy(() -> writer.start(row("gen-2", node, 500)).get())
          .hasCauseInstanceOf(dev.switchboard.store.StoreException.class)
          .hasMessageContaining("cannot create the attempt journal");
      assertThat(files.holds("gen-2")).isFalse();
    }
  }

  @Test
  void requestsThatNeverSettlePinAFewFilesNotOneEachAndAreRecoveredOnce() throws Exception {
    NodeJournal stuck = liveNode("a:1");
    JournalFiles files = filesOf(stuck, 1); // a new file for every line
    int unsettled = JournalFiles.MAX_PINNED_FILES + 2;
    for (int i = 0; i < unsettled - 1; i++) {
      files.append(row("gen-%02d".formatted(i), stuck, 1_000));
    }
    assertThat(files.files()).hasSize(unsettled - 1);

    // The next file takes the lines of all the pinned ones, which go.
    files.append(row("gen-%02d".formatted(unsettled - 1), stuck, 1_000));
    assertThat(files.files()).hasSize(1);
    assertThat(Files.readAllLines(files.files().getFirst())).hasSize(unsettled);
    // One settles after the move: the file it moved to is what its settlement releases.
    database.generations().commit(new dev.switchboard.store.WriteBatch(List.of(),
        List.of(record("gen-00", KEY_HASH, 700, T0)), List.of()));
    files.settled("gen-00");
    assertThat(files.pending()).isEqualTo(unsettled - 1);

    stuck.release();
    assertThat(node("b:1").recoverOrphans(T0.plusSeconds(1))).isEqualTo(unsettled - 1);
    assertThat(scalar(database, "SELECT count(*) FROM generations")).isEqualTo(unsettled);
    assertThat(scalar(database, "SELECT count(*) FROM generations WHERE recovered")).isEqualTo(unsettled - 1);
    assertThat(scalar(database, "SELECT count(*) FROM ledger WHERE kind = 'charge'")).isEqualTo(unsettled);
    assertThat(files.files()).isEmpty();
  }

  @Test
  void movedLinesThatSettleLeaveNoFile() {
    NodeJournal node = node("a:1");
    JournalFiles files = filesOf(node, 1);
    int count = JournalFiles.MAX_PINNED_FILES + 2;
    for (int i = 0; i < count; i++) {
      files.append(row("gen-%02d".formatted(i), node, 1_000));
    }
    for (int i = 0; i < count; i++) {
      files.settled("gen-%02d".formatted(i));
    }
    assertThat(files.pending()).isZero();
    assertThat(files.files()).isEmpty();
  }

  @Test
  void aRowOfAnotherNodeIsRefused() {
    JournalFiles files = JournalFiles.open(journal, "node-a", JournalFiles.DEFAULT_SEGMENT_BYTES);
    assertThatThrownBy(() -> files.append(row("gen-1", node("b:1"), 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
