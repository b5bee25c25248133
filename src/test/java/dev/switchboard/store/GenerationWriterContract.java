package dev.switchboard.store;

import static dev.switchboard.store.TestStores.KEY_HASH;
import static dev.switchboard.store.TestStores.record;
import static dev.switchboard.store.TestStores.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link GenerationWriter}'s grouping, durability and failure handling, run against each
 * back-end's {@link GenerationRepository} by a subclass ({@code SqliteGenerationWriterTest}, {@code
 * PostgresGenerationWriterTest}). "Durable" is checked by reading through a second, newly opened
 * {@link Database} after the first is closed.
 */
public abstract class GenerationWriterContract {
  private static final Instant T0 = Instant.parse("2025-11-01T00:00:00Z");

  private TestStore store;

  /** A new, empty database for one test. */
  protected abstract TestStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @AfterEach
  void removeStore() {
    if (store != null) { // null when newStore() failed; only that failure should be reported
      store.close();
    }
  }

  /**
   * A slow disk on demand: every insert waits until {@link #release()}. Holding the writer in its
   * first transaction lets records pile up deterministically, without sleeping.
   */
  static final class GatedRepository implements GenerationRepository {
    private final GenerationRepository delegate;
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    final AtomicInteger largestBatch = new AtomicInteger();

    GatedRepository(GenerationRepository delegate) {
      this.delegate = delegate;
    }

    void awaitWriterInsideFirstInsert() throws InterruptedException {
      entered.await();
    }

    void release() {
      released.countDown();
    }

    @Override
    public java.util.Set<String> commit(WriteBatch batch) {
      entered.countDown();
      try {
        released.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      largestBatch.accumulateAndGet(
          batch.started().size() + batch.settled().size() + batch.unjournaled().size(), Math::max);
      return delegate.commit(batch);
    }

    @Override
    public Optional<GenerationRecord> find(String id) {
      return delegate.find(id);
    }

    @Override
    public long usageSince(String keyHash, Instant since) {
      return delegate.usageSince(keyHash, since);
    }

    @Override
    public List<ActivityRow> activity(LocalDate from, LocalDate to, @Nullable String keyHash) {
      return delegate.activity(from, to, keyHash);
    }
  }

  @Test
  void fiveThousandRecordsFromFiftyVirtualThreadsAreDurableInFewTransactions() throws Exception {
    int threads = 50;
    int perThread = 100;
    int total = threads * perThread;
    GenerationWriter writer;
    GatedRepository gated;
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    try (Database database = store.open()) {
      gated = new GatedRepository(database.generations());
      writer = GenerationWriter.create(gated, total, GenerationWriter.DEFAULT_MAX_BATCH);
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<List<CompletableFuture<Void>>>> submitted = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          submitted.add(
              pool.submit(
                  () -> {
                    List<CompletableFuture<Void>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                      String id = "gen-" + thread + "-" + i;
                      mine.add(
                          writer.submit(
                              record(id, KEY_HASH, thread * 1_000L + i, T0.plusMillis(i))));
                    }
                    return mine;
                  }));
        }
        for (Future<List<CompletableFuture<Void>>> future : submitted) {
          futures.addAll(future.get());
        }
      }
      // Every record is queued or held in the first transaction; now let the disk go.
      gated.release();
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
      writer.close();
    }

    // 1 transaction held at the gate, then the rest in batches of at most 1,000.
    assertThat(writer.commits()).isLessThanOrEqualTo(6);
    assertThat(writer.written()).isEqualTo(total);
    assertThat(gated.largestBatch.get()).isGreaterThan(1);
    try (Database reopened = store.open()) {
      assertThat(scalar(reopened, "SELECT count(*) FROM generations")).isEqualTo(total);
      long expectedCost = 0;
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < perThread; i++) {
          expectedCost += t * 1_000L + i;
        }
      }
      assertThat(reopened.generations().usageSince(KEY_HASH, T0)).isEqualTo(expectedCost);
      // Each commit carried its records' accounting: one charge per priced record (the record of
      // thread 0, number 0 cost nothing), the running counters in step with the records.
      assertThat(scalar(reopened, "SELECT count(*) FROM ledger WHERE kind = 'charge'"))
          .isEqualTo(total - 1);
      assertThat(scalar(reopened, "SELECT -SUM(amount_nanos) FROM ledger")).isEqualTo(expectedCost);
      assertThat(reopened.keys().usage(KEY_HASH, T0).totalNanos()).isEqualTo(expectedCost);
      assertThat(reopened.ledger().totals(Database.DEFAULT_ACCOUNT_ID).orElseThrow().usageNanos())
          .isEqualTo(expectedCost);
    }
  }

  @Test
  void closeWritesEverythingAcceptedBeforeReturning() throws Exception {
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    try (Database database = store.open()) {
      GatedRepository gated = new GatedRepository(database.generations());
      GenerationWriter writer = GenerationWriter.create(gated, 1_000, 100);
      for (int i = 0; i < 500; i++) {
        futures.add(writer.submit(record("gen-" + i, KEY_HASH, 1, T0)));
      }
      gated.awaitWriterInsideFirstInsert();
      Thread closer = Thread.ofVirtual().start(writer::close);
      while (closer.getState() != Thread.State.WAITING) {
        Thread.onSpinWait(); // closer is waiting for the writer: pending records are still queued
      }
      assertThat(writer.pending()).isPositive();
      gated.release();
      closer.join();

      assertThat(futures).allMatch(future -> future.isDone() && !future.isCompletedExceptionally());
      assertThatThrownBy(() -> writer.submit(record("gen-late", KEY_HASH, 1, T0)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
    try (Database reopened = store.open()) {
      assertThat(scalar(reopened, "SELECT count(*) FROM generations")).isEqualTo(500);
    }
  }

  @Test
  void aBadRecordFailsOnlyItsOwnFuture() throws Exception {
    try (Database database = store.open()) {
      database.generations().insertAll(List.of(record("gen-dup", KEY_HASH, 1, T0)));
      GatedRepository gated = new GatedRepository(database.generations());
      List<CompletableFuture<Void>> good = new ArrayList<>();
      CompletableFuture<Void> duplicate;
      try (GenerationWriter writer = GenerationWriter.create(gated, 100, 100)) {
        good.add(writer.submit(record("gen-first", KEY_HASH, 1, T0)));
        gated.awaitWriterInsideFirstInsert();
        // These queue up behind the gate and are written as one batch, which fails as a whole.
        for (int i = 0; i < 5; i++) {
          good.add(writer.submit(record("gen-" + i, KEY_HASH, 1, T0)));
        }
        duplicate = writer.submit(record("gen-dup", KEY_HASH, 1, T0));
        for (int i = 5; i < 10; i++) {
          good.add(writer.submit(record("gen-" + i, KEY_HASH, 1, T0)));
        }
        gated.release();
        CompletableFuture.allOf(good.toArray(CompletableFuture[]::new)).get();
      }
      assertThatThrownBy(duplicate::get)
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(StoreException.class);
      assertThat(scalar(database, "SELECT count(*) FROM generations")).isEqualTo(12);
    }
  }

  @Test
  void submitBlocksWhileTheQueueIsFull() throws Exception {
    try (Database database = store.open()) {
      GatedRepository gated = new GatedRepository(database.generations());
      try (GenerationWriter writer = GenerationWriter.create(gated, 2, 1)) {
        CompletableFuture<Void> first = writer.submit(record("gen-1", KEY_HASH, 1, T0));
        gated.awaitWriterInsideFirstInsert();
        writer.submit(record("gen-2", KEY_HASH, 1, T0));
        writer.submit(record("gen-3", KEY_HASH, 1, T0));
        CompletableFuture<CompletableFuture<Void>> fourth = new CompletableFuture<>();
        Thread producer =
            Thread.ofVirtual()
                .start(() -> fourth.complete(writer.submit(record("gen-4", KEY_HASH, 1, T0))));
        while (producer.getState() != Thread.State.WAITING) {
          Thread.onSpinWait();
        }
        assertThat(fourth).isNotDone();
        assertThat(first).isNotDone();

        gated.release();
        fourth.get().get();
        assertThat(first).isCompleted();
      }
      assertThat(scalar(database, "SELECT count(*) FROM generations")).isEqualTo(4);
    }
  }

  @Test
  void anEventLoopIsNeverMadeToWaitForRoomButItsRecordIsWritten() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Database database = store.open()) {
      GatedRepository gated = new GatedRepository(database.generations());
      try (GenerationWriter writer = GenerationWriter.create(gated, 2, 1)) {
        writer.submit(record("gen-1", KEY_HASH, 1, T0));
        gated.awaitWriterInsideFirstInsert();
        writer.submit(record("gen-2", KEY_HASH, 1, T0));
        writer.submit(record("gen-3", KEY_HASH, 1, T0));
        // The queue is full: on an event loop, submit returns at once (the wait moves elsewhere).
        CompletableFuture<CompletableFuture<Void>> fourth = new CompletableFuture<>();
        vertx.runOnContext(v -> fourth.complete(writer.submit(record("gen-4", KEY_HASH, 1, T0))));
        CompletableFuture<Void> written = fourth.get(10, TimeUnit.SECONDS);
        assertThat(written).isNotDone();

        gated.release();
        written.get(10, TimeUnit.SECONDS);
      }
      assertThat(scalar(database, "SELECT count(*) FROM generations")).isEqualTo(4);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  @Test
  void closingTwiceIsHarmless() {
    try (Database database = store.open()) {
      GenerationWriter writer = GenerationWriter.create(database.generations());
      writer.submit(record("gen-1", KEY_HASH, 1, T0)).join();
      writer.close();
      writer.close();
      assertThat(writer.commits()).isEqualTo(1);
    }
  }
}
