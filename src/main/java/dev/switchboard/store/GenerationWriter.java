package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Context;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * The single writer of generation records and attempt-journal rows, committing them in groups.
 *
 * <p>Design: request threads {@link #submit} a record and get a future; one platform thread takes
 * whatever is queued (up to {@code maxBatch}), inserts it in <em>one</em> transaction, and only
 * then completes the futures. Under load a commit therefore carries many records, so the per-commit
 * cost (the WAL append, the write lock, and on PostgreSQL the round trips and the flush) is shared;
 * when idle a record is written as soon as it arrives, so nothing waits for a timer.
 *
 * <p>The attempt journal: with {@link JournalFiles} (SQLite), {@link #start} appends the request's
 * line there and returns at once, and {@link #settle}'s commit tells the files the request settled.
 * Without (PostgreSQL, whose other nodes must see a dead node's journal), the journal rides the
 * same commits: {@link #start} queues a journal row (and the request waits for its commit before
 * its first upstream byte), {@link #settle} a journaled request's record, which deletes that row in
 * the same transaction. So a busy gateway pays one commit for a whole group of starts and
 * settlements together, and an idle one pays one commit (no timer) per start.
 *
 * <p>Back-pressure: the queue is bounded ({@code capacity}). When it is full, {@link #submit}
 * blocks until the writer has made room. Callers are virtual threads, so blocking is cheap and
 * slows request completion to the pace of the disk instead of growing memory without bound. Called
 * on an event loop, which must not wait, the wait moves to a virtual thread.
 *
 * <p>Failures: if a batch fails, each of its records is retried in its own transaction, so one bad
 * record (say a duplicate id) fails only its own future. The writer keeps running.
 *
 * <p>Futures complete on the writer thread, so non-async dependent stages run there too; callers
 * should {@code join()} or use the {@code …Async} variants, not attach slow callbacks.
 *
 * <p>Thread-safe. {@link #close()} stops accepting records, writes everything already accepted and
 * returns when it is durable.
 */
public final class GenerationWriter implements AutoCloseable {
  /** Records that may wait in the queue before {@link #submit} blocks. */
  public static final int DEFAULT_CAPACITY = 10_000;

  /**
   * How long the writer gathers settlements whose clients have their answers before committing
   * them ({@link #gatherWhileNobodyWaits}).
   */
  static final Duration GATHER_WINDOW = Duration.ofMillis(2);

  /** Most records in one transaction; keeps a commit's lock hold and memory bounded. */
  public static final int DEFAULT_MAX_BATCH = 1_000;

  private static final System.Logger LOG = System.getLogger(GenerationWriter.class.getName());

  private sealed interface Task {}

  /** @param early its settled line is journaled: committing it ends an early settlement */
  private record Write(GenerationRecord record, boolean journaled, boolean early, CompletableFuture<Void> done)
      implements Task {}

  /** Completes once every task queued before it is committed (or failed). */
  private record Barrier(CompletableFuture<Void> done) implements Task {}

  private record Start(InFlight row, CompletableFuture<Void> done) implements Task {}

  /** Enqueued by {@link #close()} after the last accepted record. */
  private enum Stop implements Task {
    INSTANCE
  }

  private final GenerationRepository repository;
  private final @Nullable JournalFiles journalFiles;
  private final BlockingQueue<Task> queue;
  private final int maxBatch;
  private final long gatherWindowNanos;
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  /** Settlements journaled as settled (the client may have its answer) and not committed yet. */
  private final AtomicInteger uncommittedSettlements = new AtomicInteger();
  private final Thread thread;

  // submit() enqueues under the read lock; close() flips `closed` under the write lock. So once
  // close() holds the write lock, no record can be enqueued after the Stop marker.
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
  private volatile boolean closed;
  /** Whether the writer is parked gathering early settlements ({@link #gatherWhileNobodyWaits}). */
  private volatile boolean gathering;

  private GenerationWriter(GenerationRepository repository, @Nullable JournalFiles journalFiles, int capacity,
      int maxBatch, Duration gatherWindow) {
    if (capacity < 1 || maxBatch < 1) {
      throw new IllegalArgumentException(
          "capacity and maxBatch must be positive, were " + capacity + " and " + maxBatch);
    }
    this.repository = requireNonNull(repository, "repository");
    this.journalFiles = journalFiles;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxBatch = maxBatch;
    this.gatherWindowNanos = gatherWindow.toNanos();
    // A platform thread: it spends its life in JDBC and native SQLite calls, which would pin a
    // virtual thread's carrier anyway.
    this.thread = Thread.ofPlatform().name("generation-writer").daemon(true).unstarted(this::run);
  }

  /** Starts a writer with {@link #DEFAULT_CAPACITY} and {@link #DEFAULT_MAX_BATCH}. */
  public static GenerationWriter create(GenerationRepository repository) {
    return create(repository, DEFAULT_CAPACITY, DEFAULT_MAX_BATCH);
  }

  /** Starts a writer with its own queue capacity and largest batch. */
  public static GenerationWriter create(
      GenerationRepository repository, int capacity, int maxBatch) {
    return create(repository, null, capacity, maxBatch);
  }

  /**
   * Starts a writer whose attempt journal is {@code journalFiles} rather than the {@code
   * in_flight} table (which it then leaves to recovery alone), closing them when it closes.
   */
  public static GenerationWriter create(GenerationRepository repository, @Nullable JournalFiles journalFiles) {
    return create(repository, journalFiles, DEFAULT_CAPACITY, DEFAULT_MAX_BATCH);
  }

  /** {@link #create(GenerationRepository, JournalFiles)} gathering for {@code gatherWindow} (tests). */
  static GenerationWriter create(GenerationRepository repository, JournalFiles journalFiles, Duration gatherWindow) {
    return create(repository, journalFiles, DEFAULT_CAPACITY, DEFAULT_MAX_BATCH, gatherWindow);
  }

  private static GenerationWriter create(GenerationRepository repository,
      @Nullable JournalFiles journalFiles, int capacity, int maxBatch) {
    return create(repository, journalFiles, capacity, maxBatch, GATHER_WINDOW);
  }

  private static GenerationWriter create(GenerationRepository repository,
      @Nullable JournalFiles journalFiles, int capacity, int maxBatch, Duration gatherWindow) {
    GenerationWriter writer = new GenerationWriter(repository, journalFiles, capacity, maxBatch, gatherWindow);
    writer.thread.start();
    return writer;
  }

  /**
   * Queues a record for writing. Blocks while the queue is full (see the class comment).
   *
   * @return completes when the record is committed, or exceptionally with the {@link
   *     StoreException} that prevented it (or the {@link InterruptedException} if the caller was
   *     interrupted while waiting for room; its interrupt flag is then set again)
   * @throws IllegalStateException if the writer is closed
   */
  public CompletableFuture<Void> submit(GenerationRecord record) {
    requireNonNull(record, "record");
    CompletableFuture<Void> done = new CompletableFuture<>();
    return enqueue(new Write(record, false, false, done), done);
  }

  /**
   * Queues the record of a journaled request: it is stored, and its journal row deleted, in one
   * transaction, unless the row is already gone (the request was recovered meanwhile), in which
   * case nothing is stored and the commit still completes normally: the recovered record stands.
   * Blocks while the queue is full.
   *
   * <p>With {@link JournalFiles}, the record is first journaled as settled, and the returned
   * settlement is {@linkplain Settling#durable durable} at once: the client need not wait for the
   * commit (~0.3 ms at low load). Until it commits, {@link #caughtUp} tells readers of the books to
   * wait. If the settled line cannot be written, the settlement is durable at its commit.
   */
  public Settling settle(GenerationRecord record) {
    requireNonNull(record, "record");
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean early = settledLine(record);
    if (early) {
      uncommittedSettlements.incrementAndGet();
    }
    try {
      enqueue(new Write(record, true, early, done), done);
    } catch (RuntimeException closed) {
      if (early) {
        uncommittedSettlements.decrementAndGet(); // the next start recovers it from its settled line
      }
      throw closed;
    }
    return early ? new Settling(CompletableFuture.completedFuture(null), done) : Settling.atCommit(done);
  }

  /** Journals {@code record} as settled, if it can; whether it did. */
  private boolean settledLine(GenerationRecord record) {
    if (journalFiles == null || closed) {
      return false;
    }
    try {
      return journalFiles.appendSettled(record);
    } catch (StoreException | IllegalStateException e) {
      // Answered at the commit instead, as without settled lines. An unwritable journal is logged
      // by its own appends (which refuse requests meanwhile); this one only slows.
      LOG.log(Level.DEBUG, "generation {0} is answered at its commit: {1}", record.id(), e.getMessage());
      return false;
    }
  }

  /**
   * Completes once every settlement whose client may have been answered before its commit (see
   * {@link #settle}) is committed, or failed: what a read of the books (a generation, credits, a
   * key's usage) waits for, so that it sees every request answered before it. At once when none is
   * pending, which is always the case without {@link JournalFiles}.
   */
  public CompletableFuture<Void> caughtUp() {
    if (uncommittedSettlements.get() == 0) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      return enqueue(new Barrier(done), done);
    } catch (IllegalStateException closed) {
      return CompletableFuture.completedFuture(null); // close() has written everything accepted
    }
  }

  /**
   * Journals a request; the future completes once the journal holds it, which must happen before
   * the request's first upstream attempt. With {@link JournalFiles} that is done when this returns;
   * otherwise the row is queued for the next commit (blocking while the queue is full).
   */
  public CompletableFuture<Void> start(InFlight row) {
    requireNonNull(row, "row");
    if (journalFiles != null) {
      if (closed) {
        throw new IllegalStateException("the generation writer is closed");
      }
      try {
        journalFiles.append(row);
        return CompletableFuture.completedFuture(null);
      } catch (StoreException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    return enqueue(new Start(row, done), done);
  }

  private CompletableFuture<Void> enqueue(Task task, CompletableFuture<Void> done) {
    gate.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the generation writer is closed");
      }
      if (queue.offer(task)) {
        wakeIfGathering(task);
      } else {
        if (Context.isOnEventLoopThread()) {
          // An event loop must not wait for room: a virtual thread waits instead, and the
          // request, which waits for the future anyway, is slowed to the disk's pace all the same.
          Thread.startVirtualThread(() -> {
            try {
              enqueue(task, done);
            } catch (IllegalStateException closedMeanwhile) {
              // Nobody is left to throw to: the future says it instead of never completing.
              done.completeExceptionally(closedMeanwhile);
            }
          });
          return done;
        }
        queue.put(task);
        wakeIfGathering(task);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done.completeExceptionally(e);
    } finally {
      gate.readLock().unlock();
    }
    return done;
  }

  /** Transactions committed so far; with grouping, far fewer than records under load. */
  public long commits() {
    return commits.get();
  }

  /** Records and journal rows committed so far; over {@link #commits()}, the grouping achieved. */
  public long written() {
    return written.get();
  }

  /** Records waiting to be written (for metrics). */
  public int pending() {
    return queue.size();
  }

  /** Stops accepting records and returns once every accepted one is written (or failed). */
  @Override
  public void close() {
    gate.writeLock().lock();
    try {
      if (closed) {
        joinUninterruptibly();
        return;
      }
      closed = true;
    } finally {
      gate.writeLock().unlock();
    }
    // Blocks at most until the writer has taken one batch off a full queue.
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(Stop.INSTANCE);
        wakeIfGathering(Stop.INSTANCE);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    joinUninterruptibly();
    if (journalFiles != null) {
      journalFiles.close();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void joinUninterruptibly() {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Task> drained = new ArrayList<>(maxBatch);
    List<Task> batch = new ArrayList<>(maxBatch);
    boolean stopping = false;
    while (!stopping) {
      drained.clear();
      drained.add(take());
      queue.drainTo(drained, maxBatch - 1);
      gatherWhileNobodyWaits(drained);
      batch.clear();
      for (Task task : drained) {
        switch (task) {
          case Write write -> batch.add(write);
          case Start start -> batch.add(start);
          case Barrier barrier -> batch.add(barrier);
          case Stop stop -> stopping = true;
        }
      }
      if (!batch.isEmpty()) {
        write(batch);
      }
    }
  }

  /**
   * While every task in {@code drained} is a settlement whose client has its answer already, keeps
   * gathering for up to {@link #GATHER_WINDOW} (2 ms): their commit only releases reservations, so waiting
   * costs nobody latency, and a bigger group costs the writer less per record (at saturation the
   * early answers otherwise left it committing 2–3 records at a time instead of 6, for ~30% more CPU
   * per request; docs/performance.md, round 11). A task someone waits for (a start, a barrier, a
   * settlement answered at its commit, the stop) ends the wait.
   */
  private void gatherWhileNobodyWaits(List<Task> drained) {
    if (!nobodyWaits(drained, 0)) {
      return;
    }
    long deadline = System.nanoTime() + gatherWindowNanos;
    // Parked rather than waiting on the queue, so that an early settlement's arrival wakes nobody:
    // that wake-up was a futex call on the enqueuing event loop and another here, per request
    // (docs/performance.md, round 12). A task someone waits for unparks this thread.
    gathering = true;
    try {
      while (drained.size() < maxBatch) {
        // After `gathering` is set: a task offered before it was seen set is drained here.
        int from = drained.size();
        queue.drainTo(drained, maxBatch - from);
        if (!nobodyWaits(drained, from)) {
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        LockSupport.parkNanos(this, left);
        Thread.interrupted(); // only close() stops this thread, with the Stop marker
      }
    } finally {
      gathering = false;
    }
  }

  /** Ends a gathering for a task someone waits for; called after the task is queued. */
  private void wakeIfGathering(Task task) {
    if (gathering && !nobodyWaitsFor(task)) {
      LockSupport.unpark(thread);
    }
  }

  private static boolean nobodyWaits(List<Task> tasks, int from) {
    for (int i = from; i < tasks.size(); i++) {
      if (!nobodyWaitsFor(tasks.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** A settlement whose client has its answer: its commit only releases its reservation. */
  private static boolean nobodyWaitsFor(Task task) {
    return task instanceof Write write && write.early();
  }

  private Task take() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // Nobody but close() should stop this thread, and it does so with the Stop marker.
        LOG.log(Level.DEBUG, "generation writer interrupted; ignoring");
      }
    }
  }

  private void write(List<Task> batch) {
    try {
      commit(batch);
    } catch (RuntimeException batchFailure) {
      if (batch.size() == 1) {
        fail(batch.getFirst(), batchFailure);
        return;
      }
      LOG.log(
          Level.WARNING,
          "a batch of {0} generation writes failed ({1}); writing them one by one",
          batch.size(),
          batchFailure.getMessage());
      for (Task task : batch) {
        try {
          commit(List.of(task));
        } catch (RuntimeException e) {
          fail(task, e);
        }
      }
    }
  }

  private void commit(List<Task> tasks) {
    List<InFlight> started = new ArrayList<>();
    List<GenerationRecord> settled = new ArrayList<>();
    List<GenerationRecord> unjournaled = new ArrayList<>();
    List<GenerationRecord> fileJournaled = new ArrayList<>();
    for (Task task : tasks) {
      switch (task) {
        case Start start -> started.add(start.row());
        case Write write when !write.journaled() -> unjournaled.add(write.record());
        case Write write when journalFiles != null && journalFiles.holds(write.record().id()) ->
            fileJournaled.add(write.record());
        case Write write -> settled.add(write.record());
        case Barrier barrier -> {}
        case Stop stop -> {}
      }
    }
    WriteBatch batch = new WriteBatch(started, settled, unjournaled, fileJournaled);
    Set<String> dropped = Set.of();
    if (!batch.isEmpty()) { // empty when the tasks were barriers alone
      dropped = repository.commit(batch);
      commits.incrementAndGet();
      written.addAndGet(started.size() + batch.records());
    }
    for (String id : dropped) {
      LOG.log(Level.WARNING, "generation {0} settled after it had been recovered (its node was taken"
          + " for dead); the recovered record and charge stand, this settlement is dropped", id);
    }
    for (Task task : tasks) {
      // Settled either way: stored now, or dropped because recovery stored it first.
      if (journalFiles != null && task instanceof Write write && write.journaled()) {
        journalFiles.settled(write.record().id());
      }
      completed(task);
      done(task).complete(null);
    }
  }

  private static CompletableFuture<Void> done(Task task) {
    return switch (task) {
      case Write write -> write.done();
      case Start start -> start.done();
      case Barrier barrier -> barrier.done();
      case Stop stop -> CompletableFuture.completedFuture(null);
    };
  }

  /** Ends an early settlement's count, committed or failed (its settled line then stays to recover). */
  private void completed(Task task) {
    if (task instanceof Write write && write.early()) {
      uncommittedSettlements.decrementAndGet();
    }
  }

  private void fail(Task task, RuntimeException e) {
    switch (task) {
      case Write write -> LOG.log(Level.ERROR, "generation {0} was not stored: {1}",
          write.record().id(), e.getMessage());
      case Start start -> LOG.log(Level.ERROR, "journal row of generation {0} was not stored: {1}",
          start.row().generationId(), e.getMessage());
      case Barrier barrier -> {}
      case Stop stop -> {}
    }
    completed(task);
    done(task).completeExceptionally(e);
  }
}
