package dev.switchboard.store;

import static dev.switchboard.store.TestStores.KEY_HASH;
import static dev.switchboard.store.TestStores.record;
import static dev.switchboard.store.TestStores.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Usage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settlements journaled before their commit (SQLite's {@link JournalFiles}): the client is answered
 * when the settled line is written, readers of the books wait for the commit, and a crash between
 * the two stores the record as it settled, not at its estimate.
 */
class SettledLinesTest {
  private static final Instant T0 = Instant.parse("2025-11-12T10:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private Database database;

  @BeforeEach
  void open() {
    database = TestStores.open(dir.resolve("switchboard.db"));
  }

  @AfterEach
  void close() {
    database.close();
  }

  private NodeJournal liveNode(String name) {
    NodeJournal node = new NodeJournal(database.dataSource(), database.generations(),
        database.journalDirectory(), name, LEASE, T0);
    node.heartbeat(T0);
    return node;
  }

  private JournalFiles filesOf(NodeJournal node, long segmentBytes) {
    return JournalFiles.open(database.journalDirectory(), node.id(), segmentBytes);
  }

  private static InFlight row(String id, NodeJournal node, long reservedNanos) {
    return new InFlight(id, node.id(), KEY_HASH, Database.DEFAULT_ACCOUNT_ID, "openai/gpt-4o", "openai",
        "gpt-4o-2024-08-06", false, 12, 100, reservedNanos, T0);
  }

  private long charges(String generationId) {
    return scalar(database, "SELECT count(*) FROM ledger WHERE kind = 'charge' AND generation_id = '"
        + generationId + "'");
  }

  /** Every part of a record a settled line must carry, set to something other than its default. */
  private static GenerationRecord everyField() {
    return new GenerationRecord("gen-full", KEY_HASH, "acct-\"quoted\"\n", "anthropic/claude-sonnet-4.5",
        "anthropic", "claude-sonnet-4-5", "msg_01", GenerationRecord.Status.CANCELLED, FinishReason.TOOL_CALLS,
        "tool_use", true, new Usage(1_234, 56, 7L, 8L, 9L, true), 987_654_321L, 4_321, 123L, 3, 499,
        "the client disconnected", T0.plusMillis(17), false, true);
  }

  @Test
  void aSettledLineCarriesEveryFieldOfTheRecordAndAFirstLineStaysAStart() {
    GenerationRecord full = everyField();
    String line = new String(JournalLine.encode(full), StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n").contains("\"settled\":true");
    assertThat(JournalLine.decode(line.strip(), "node-a")).isEqualTo(new JournalLine.Settled(full));

    GenerationRecord minimal = GenerationRecord.builder("gen-min", KEY_HASH, "acct", "m/m", T0).build();
    String minimalLine = new String(JournalLine.encode(minimal), StandardCharsets.UTF_8).strip();
    assertThat(JournalLine.decode(minimalLine, "node-a")).isEqualTo(new JournalLine.Settled(minimal));

    NodeJournal node = liveNode("a:1");
    InFlight start = row("gen-1", node, 500);
    String startLine = new String(JournalLine.encode(start), StandardCharsets.UTF_8).strip();
    assertThat(JournalLine.decode(startLine, node.id())).isEqualTo(new JournalLine.Started(start));
  }

  @Test
  void theWriterMakesASettlementDurableBeforeItsCommitAndReadsOfTheBooksWaitForIt() throws Exception {
    NodeJournal node = liveNode("a:1");
    var gated = new GenerationWriterContract.GatedRepository(database.generations());
    try (GenerationWriter writer = GenerationWriter.create(gated, filesOf(node, JournalFiles.DEFAULT_SEGMENT_BYTES))) {
      assertThat(writer.caughtUp()).as("nothing settled yet").isCompleted();
      writer.start(row("gen-1", node, 500)).get();

      Settling settling;
      CompletableFuture<Void> caughtUp;
      try {
        settling = writer.settle(record("gen-1", KEY_HASH, 300, T0));

        assertThat(settling.durableFirst()).isTrue();
        assertThat(settling.durable()).isCompleted();
        gated.awaitWriterInsideFirstInsert();
        assertThat(settling.committed()).isNotDone();
        caughtUp = writer.caughtUp();
        assertThat(caughtUp).as("a read of the books waits for the commit").isNotDone();
        assertThat(node.pending()).isEqualTo(1);
        assertThat(node.settledNotStored()).isEqualTo(1);
      } finally {
        gated.release(); // else a failed assertion leaves the writer, and close(), waiting for ever
      }
      settling.committed().get(5, TimeUnit.SECONDS);
      caughtUp.get(5, TimeUnit.SECONDS);
      assertThat(database.generations().find("gen-1").orElseThrow().costNanos()).isEqualTo(300);
      assertThat(writer.caughtUp()).isCompleted();
      assertThat(node.pending()).isZero();
    }
  }

  @Test
  void settlementsWhoseClientsHaveTheirAnswersAreGatheredUntilSomeoneWaitsThenCommittedTogether() throws Exception {
    NodeJournal node = liveNode("a:1");
    try (GenerationWriter writer = GenerationWriter.create(database.generations(),
        filesOf(node, JournalFiles.DEFAULT_SEGMENT_BYTES), Duration.ofSeconds(30))) {
      List<Settling> settlings = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        writer.start(row("gen-" + i, node, 500)).get();
        settlings.add(writer.settle(record("gen-" + i, KEY_HASH, 300, T0)));
      }
      assertThat(settlings).allSatisfy(settling -> assertThat(settling.durable()).isCompleted());
      assertThat(settlings.getFirst().committed()).as("gathering: nobody waits for it").isNotDone();

      writer.caughtUp().get(5, TimeUnit.SECONDS); // a reader waits: the gathering ends at once

      assertThat(settlings).allSatisfy(settling -> assertThat(settling.committed()).isCompleted());
      assertThat(writer.commits()).as("one commit for the five").isEqualTo(1);
      assertThat(writer.written()).isEqualTo(5);
    }
  }

  @Test
  void withoutJournalFilesOrForARequestNotJournaledASettlementIsDurableAtItsCommit() throws Exception {
    try (GenerationWriter writer = GenerationWriter.create(database.generations())) {
      Settling settling = writer.settle(record("gen-1", KEY_HASH, 300, T0));
      assertThat(settling.durableFirst()).isFalse();
      settling.committed().get(5, TimeUnit.SECONDS);
    }
    NodeJournal node = liveNode("a:1");
    try (GenerationWriter writer = GenerationWriter.create(database.generations(),
        filesOf(node, JournalFiles.DEFAULT_SEGMENT_BYTES))) {
      Settling settling = writer.settle(record("gen-2", KEY_HASH, 300, T0));
      assertThat(settling.durableFirst()).as("no first line, so no settled line").isFalse();
      settling.committed().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aNodeKilledBetweenTheAnswerAndTheCommitIsRecoveredWithTheSettledRecordOnce() {
    NodeJournal dead = liveNode("a:1");
    // A 1-byte segment: every line is a file of its own, so the settled line is not beside the first.
    JournalFiles files = filesOf(dead, 1);
    files.append(row("gen-1", dead, 5_000));
    files.append(row("gen-2", dead, 5_000));
    GenerationRecord settled = everyField();
    files.append(row(settled.id(), dead, 5_000));
    assertThat(files.appendSettled(settled)).isTrue();
    assertThat(files.appendSettled(record("gen-1", KEY_HASH, 700, T0))).isTrue();
    assertThat(files.files()).as("each line pins its file until the commit").hasSize(5);
    assertThat(dead.pending()).isEqualTo(3);
    assertThat(dead.settledNotStored()).isEqualTo(2);
    dead.release(); // killed: no commit ever runs

    assertThat(liveNode("b:1").recoverOrphans(T0.plusSeconds(1))).isEqualTo(3);

    assertThat(database.generations().find(settled.id())).contains(settled);
    GenerationRecord first = database.generations().find("gen-1").orElseThrow();
    assertThat(first.costNanos()).isEqualTo(700);
    assertThat(first.recovered()).isFalse();
    GenerationRecord unsettled = database.generations().find("gen-2").orElseThrow();
    assertThat(unsettled.costNanos()).as("no settled line: its estimate").isEqualTo(5_000);
    assertThat(unsettled.recovered()).isTrue();
    assertThat(charges("gen-1") + charges("gen-2") + charges(settled.id())).isEqualTo(3);
    assertThat(files.files()).isEmpty();
    assertThat(liveNode("c:1").recoverOrphans(T0.plusSeconds(2))).isZero();
  }

  @Test
  void aCommittedSettlementReleasesBothItsFilesAndALateOneAfterRecoveryStoresNothingMore() throws Exception {
    NodeJournal node = liveNode("a:1");
    JournalFiles files = filesOf(node, 1);
    try (GenerationWriter writer = GenerationWriter.create(database.generations(), files)) {
      writer.start(row("gen-1", node, 500)).get();
      writer.settle(record("gen-1", KEY_HASH, 300, T0)).committed().get(5, TimeUnit.SECONDS);
      assertThat(files.files()).isEmpty();
      assertThat(files.appendSettled(record("gen-1", KEY_HASH, 300, T0)))
          .as("settled already: nothing to journal").isFalse();
    }
    assertThat(charges("gen-1")).isEqualTo(1);
  }

  @Test
  void settledLinesMovedWithTheirRequestsWhenPinnedFilesAreCompactedAreRecoveredAsSettled() throws Exception {
    NodeJournal dead = liveNode("a:1");
    JournalFiles files = filesOf(dead, 1);
    files.append(row("gen-0", dead, 5_000));
    files.appendSettled(record("gen-0", KEY_HASH, 700, T0));
    for (int i = 1; i <= JournalFiles.MAX_PINNED_FILES + 2; i++) {
      files.append(row("gen-" + i, dead, 5_000));
    }
    assertThat(files.files()).as("compacted: a few files, not one per line")
        .hasSizeLessThanOrEqualTo(JournalFiles.MAX_PINNED_FILES + 1);
    String all = String.join("", files.files().stream().map(SettledLinesTest::read).toList());
    assertThat(all).contains("\"settled\":true");
    dead.release();

    assertThat(liveNode("b:1").recoverOrphans(T0.plusSeconds(1))).isEqualTo(JournalFiles.MAX_PINNED_FILES + 3);

    GenerationRecord moved = database.generations().find("gen-0").orElseThrow();
    assertThat(moved.costNanos()).isEqualTo(700);
    assertThat(moved.recovered()).isFalse();
    assertThat(charges("gen-0")).isEqualTo(1);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
