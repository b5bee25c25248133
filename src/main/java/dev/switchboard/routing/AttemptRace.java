package dev.switchboard.routing;

import dev.switchboard.core.Cancellation;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.routing.ChatExecutor.AsyncTry;
import dev.switchboard.routing.ChatExecutor.Served;
import dev.switchboard.routing.ChatExecutor.Stop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One run of the attempt loop over a list of attempts, optionally hedged.
 *
 * <p>Without hedging, one attempt runs at a time: the next starts when the last failed. With
 * hedging, when exactly one attempt is running and it has not answered within its hedge delay, the
 * next attempt starts too; the first to answer (a stream's first bytes, a whole non-streamed answer)
 * wins and the other is cancelled, its HTTP request closed. A loser is recorded with {@link
 * AttemptOutcome.Role#HEDGE_LOST} and a {@code CANCELLED} error, which counts against neither health
 * nor statistics and costs nothing: nothing it produced reached the client. An attempt that fails
 * while another runs is recorded as usual and the other keeps running.
 *
 * <p>Concurrency: a state machine driven by the attempts' completions and the hedge timer, which
 * arrive on Vert.x threads (and the timer's); {@link #wake} lets one thread at a time step it, and
 * a wake-up that arrives meanwhile makes that thread step again. Nothing blocks, so an event loop
 * may {@link #start} it; {@link #run} waits for the result instead. One instance per run, not
 * shared.
 */
final class AttemptRace<T> {
  private final RoutePlan plan;
  private final Iterator<Attempt> next;
  private final Cancellation cancellation;
  private final AsyncTry<T> tryOne;
  private final @Nullable Function<Attempt, Duration> hedgeDelay;
  private final int budget;
  private final long deadlineNanos;
  private final AttemptHealth health;
  private final AttemptObserver observer;
  private final List<AttemptOutcome> outcomes = new ArrayList<>();
  private final List<Running<T>> running = new ArrayList<>(2);
  private final Promise<Result<T>> result = Promise.promise();
  private Stop stop = Stop.EXHAUSTED;
  private boolean hedgeable;

  // Guarded by this: who is stepping, whether a wake-up came meanwhile, and the hedge timer's round.
  private boolean stepping;
  private boolean wokenAgain;
  private long round;
  private boolean hedgeDue;

  /** The outcome of a run: what served (null when nothing did), everything tried, and why it stopped. */
  record Result<T>(@Nullable Served<T> served, List<AttemptOutcome> outcomes, Stop stop) {}

  /** An attempt in flight, with its own cancellation (the request's, when not hedging). */
  private record Running<T>(Attempt attempt, Future<T> future, Cancellation cancellation, long startNanos) {}

  AttemptRace(RoutePlan plan, List<Attempt> attempts, Cancellation cancellation, AsyncTry<T> tryOne,
      @Nullable Function<Attempt, Duration> hedgeDelay, int budget, long deadlineNanos, AttemptHealth health,
      AttemptObserver observer) {
    this.plan = plan;
    this.next = attempts.iterator();
    this.cancellation = cancellation;
    this.tryOne = tryOne;
    this.hedgeDelay = hedgeDelay;
    this.hedgeable = hedgeDelay != null;
    this.budget = budget;
    this.deadlineNanos = deadlineNanos;
    this.health = health;
    this.observer = observer;
  }

  /** Runs the race and waits for its result (call from a virtual thread). */
  Result<T> run() {
    return start().await();
  }

  /**
   * Starts the race; the future completes with its result, or fails with an internal error that
   * was not an {@link UpstreamException} (every running attempt then cancelled). Call once.
   */
  Future<Result<T>> start() {
    wake();
    return result.future();
  }

  private void wake() {
    synchronized (this) {
      if (stepping) {
        wokenAgain = true;
        return;
      }
      stepping = true;
    }
    while (true) {
      Result<T> done;
      try {
        done = step();
      } catch (RuntimeException e) {
        finish();
        result.fail(e);
        return;
      }
      if (done != null) {
        finish();
        result.complete(done);
        return;
      }
      synchronized (this) {
        if (!wokenAgain) {
          stepping = false;
          return;
        }
        wokenAgain = false;
      }
    }
  }

  /** Leaves the stepping state for good: late wake-ups (a lost hedge's future) find nothing to do. */
  private void finish() {
    synchronized (this) {
      round = -1;
      hedgeDue = false;
    }
  }

  /** Steps as far as the completed attempts allow; the final result, or null to wait for more. */
  private @Nullable Result<T> step() {
    while (true) {
      if (running.isEmpty() && !launch()) {
        return new Result<>(null, outcomes, stop);
      }
      Running<T> done = firstDone();
      if (done == null) {
        if (!takeHedgeDue()) {
          waitForNext();
          return null;
        }
        // The hedge delay passed without an answer: start the next endpoint beside it. When none
        // can start, stop hedging and wait for the one running.
        hedgeable = launch();
        continue;
      }
      running.remove(done);
      forgetHedgeTimer(); // it was for the state before this completion
      if (done.future().succeeded()) {
        for (Running<T> loser : List.copyOf(running)) {
          lose(loser, done.attempt());
        }
        AttemptOutcome outcome = new AttemptOutcome(done.attempt(), millisSince(done.startNanos()), null,
            done.startNanos());
        outcomes.add(outcome);
        record(outcome);
        observer.served(plan, done.attempt());
        return new Result<>(new Served<>(done.future().result(), done.attempt(), outcomes), outcomes, stop);
      }
      if (!(done.future().cause() instanceof UpstreamException failed)) {
        // Nothing may leave the loop without releasing the endpoint (a half-open probe) and being counted.
        health.record(done.attempt(), UpstreamError.of(UpstreamError.Kind.OTHER, 0, "internal error"));
        for (Running<T> other : List.copyOf(running)) {
          lose(other, done.attempt());
        }
        throw done.future().cause() instanceof RuntimeException e ? e
            : new IllegalStateException(done.future().cause());
      }
      // A connection we reset because the client left says nothing about the endpoint.
      UpstreamError error = cancellation.isCancelled() && failed.error().kind() != UpstreamError.Kind.CANCELLED
          ? new UpstreamError(UpstreamError.Kind.CANCELLED, 0, null, "the client disconnected", null)
          : failed.error();
      AttemptOutcome outcome = new AttemptOutcome(done.attempt(), millisSince(done.startNanos()), error,
          done.startNanos());
      outcomes.add(outcome);
      record(outcome);
      if (cancellation.isCancelled() || !error.retryable()) {
        for (Running<T> other : List.copyOf(running)) {
          lose(other, done.attempt());
        }
        return new Result<>(null, outcomes, Stop.FINAL);
      }
    }
  }

  /**
   * Waits for the next wake-up: a running attempt's completion (each wakes the race, see {@link
   * #launch}), or, when exactly one runs and another could start, its hedge delay passing. A timer
   * of an earlier round (the state has moved on since) wakes nobody.
   */
  private void waitForNext() {
    long thisRound;
    synchronized (this) {
      thisRound = ++round;
    }
    Function<Attempt, Duration> delays = hedgeDelay;
    if (delays != null && hedgeable && running.size() == 1 && next.hasNext()) {
      Duration delay = delays.apply(running.getFirst().attempt());
      // A timer without a Vert.x instance: firing late or needlessly only wakes this race.
      CompletableFuture.delayedExecutor(Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS)
          .execute(() -> hedgeTimer(thisRound));
    }
  }

  private void hedgeTimer(long timerRound) {
    synchronized (this) {
      if (timerRound != round) {
        return;
      }
      hedgeDue = true;
    }
    wake();
  }

  private synchronized void forgetHedgeTimer() {
    round++;
    hedgeDue = false;
  }

  private synchronized boolean takeHedgeDue() {
    boolean due = hedgeDue;
    hedgeDue = false;
    return due;
  }

  /** Starts the next attempt the bounds and health allow; false (with {@link #stop} set) when none can start. */
  private boolean launch() {
    while (next.hasNext()) {
      long remaining = deadlineNanos - System.nanoTime();
      if (outcomes.size() + running.size() >= budget) {
        stop = Stop.MAX_ATTEMPTS;
        return false;
      }
      if (remaining <= 0) {
        stop = Stop.DEADLINE;
        return false;
      }
      Attempt attempt = next.next();
      if (!health.tryAcquire(attempt)) {
        continue; // opened (or probed by another request) since the plan was made
      }
      Cancellation own = cancellation;
      if (hedgeDelay != null) {
        // Each hedged attempt can be cancelled alone; the client leaving cancels them all.
        own = new Cancellation();
        cancellation.onCancel(own::cancel);
      }
      long start = System.nanoTime();
      Future<T> future;
      try {
        future = tryOne.start(attempt, attempt.provider().adapter(), attempt.target(),
            ChatExecutor.within(attempt.provider().timeouts(), Duration.ofNanos(remaining)), own);
      } catch (RuntimeException e) {
        future = Future.failedFuture(e); // encode refused it: reported as the loop reports failures
      }
      running.add(new Running<>(attempt, future, own, start));
      // Its completion wakes the race (at once, when it is complete already: the stepping thread
      // then steps again).
      future.onComplete(done -> wake());
      return true;
    }
    return false; // the plan is exhausted; stop keeps what an earlier bound said, if anything
  }

  private @Nullable Running<T> firstDone() {
    for (Running<T> r : running) {
      if (r.future().isComplete()) {
        return r;
      }
    }
    return null;
  }

  /** Cancels a hedged attempt that another one beat (or outlived), and records it as lost. */
  private void lose(Running<T> loser, Attempt winner) {
    running.remove(loser);
    loser.cancellation().cancel();
    UpstreamError cancelled = UpstreamError.of(UpstreamError.Kind.CANCELLED, 0,
        "cancelled: " + winner.provider().slug() + " answered first");
    AttemptOutcome outcome = new AttemptOutcome(loser.attempt(), millisSince(loser.startNanos()), cancelled,
        loser.startNanos(), AttemptOutcome.Role.HEDGE_LOST, null, null);
    outcomes.add(outcome);
    record(outcome);
  }

  private void record(AttemptOutcome outcome) {
    health.record(outcome.attempt(), outcome.error());
    observer.attempted(outcome);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
