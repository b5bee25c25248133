package dev.switchboard.http;

import dev.switchboard.accounting.Admission;
import dev.switchboard.core.Cancellation;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Principal;
import dev.switchboard.routing.ChatExecutor;
import dev.switchboard.routing.RoutePlan;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.Money;
import dev.switchboard.store.Settling;
import io.vertx.core.AsyncResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A chat request from admission on, as non-blocking stages: its journal row is committed (on the
 * generation writer), the attempts run and the answer is relayed or encoded (on the event loop of
 * the client's connection), the generation is settled (writer), and the response is ended (event
 * loop). No thread waits for another: each stage is started by the completion of the one before,
 * which on these 2-core VMs costs a fraction of a virtual thread's park and wake-up
 * (docs/performance.md, "Virtual threads vs the event loop").
 *
 * <p>Owns the admission ticket from {@link #start} on, and ends the exchange. One instance per
 * request; its stages run one after another, never at once. Subclasses: {@link CompletionFlow}
 * (JSON) and {@link StreamFlow} (SSE).
 */
abstract class RequestFlow {
  final ChatHandler.Parts parts;
  final Exchange exchange;
  final Principal principal;
  final ChatRequest request;
  final RoutePlan plan;
  final String id;
  final Admission.Ticket ticket;
  final Cancellation cancellation = new Cancellation();

  RequestFlow(ChatHandler.Parts parts, Exchange exchange, Principal principal, RoutePlan plan, String id,
      Admission.Ticket ticket) {
    this.parts = parts;
    this.exchange = exchange;
    this.principal = principal;
    this.request = ticket.request();
    this.plan = plan;
    this.id = id;
    this.ticket = ticket;
  }

  /**
   * Journals the request and returns; the rest runs from callbacks. Throws (owning nothing) only
   * when the journal row could not even be queued.
   */
  final void start() {
    exchange.response().closeHandler(v -> cancellation.cancel());
    // Journaled (durably) before any byte goes upstream: from here a crash cannot lose its charge.
    CompletableFuture<Void> journaled = parts.settlement().begin(id, principal,
        plan.attempts().getFirst().model().id(), request.stream(), plan.attempts().getFirst(),
        parts.admission().worstCase(ticket, plan));
    exchange.detach();
    onEventLoop(journaled, () -> {
      exchange.endStage(StageTimes.Stage.JOURNAL);
      attempt();
    });
  }

  /** Starts the attempts, once the journal row is durable; on the event loop. */
  abstract void attempt();

  /**
   * Goes on from the attempts' outcome: a success to {@code served}; when every attempt failed (or
   * none could be made) the failure is settled, then {@code answer} answers it; a client gone is
   * settled as cancelled; anything else is an internal failure.
   */
  final <T> void attempted(AsyncResult<T> done, Consumer<T> served, Consumer<ChatExecutor.AttemptsFailed> answer) {
    exchange.endStage(StageTimes.Stage.UPSTREAM);
    try {
      if (done.succeeded()) {
        served.accept(done.result());
      } else if (done.cause() instanceof ChatExecutor.AttemptsFailed failed) {
        settleFailure(failed, () -> answer.accept(failed));
      } else if (done.cause() instanceof ChatExecutor.ClientGone) {
        settleClientGone();
      } else {
        interrupted(done.cause());
      }
    } catch (RuntimeException e) {
      interrupted(e);
    }
  }

  private void settleFailure(ChatExecutor.AttemptsFailed failed, Runnable answer) {
    GatewayException error = failed.clientError();
    // No attempt at all when every endpoint became unavailable between planning and trying.
    var last = failed.outcomes().isEmpty() ? null : failed.outcomes().getLast().attempt();
    settle(Settlement.generation(id, principal, request, last,
        Settlement.Outcome.failed("error", failed.outcomes().size(), error.status(), error.getMessage()),
        exchange.startNanos()), () -> {
          parts.accessLog().failed(exchange, principal, id, request.model(), failed.outcomes().size(),
              error.status());
          answer.run();
        });
  }

  /** The client left before an upstream answered: settled as cancelled, nobody to answer. */
  private void settleClientGone() {
    settle(Settlement.generation(id, principal, request, plan.attempts().getFirst(),
        Settlement.Outcome.failed("cancelled", 1, 499, "the client disconnected before the upstream answered"),
        exchange.startNanos()), () -> parts.accessLog().failed(exchange, principal, id, request.model(), 1, 499));
  }

  /**
   * An internal failure before settlement: settled as failed now, rather than left in the journal
   * to be recovered (charged its estimate) at the next restart; then answered as the server
   * answers any handler's failure.
   */
  final void interrupted(Throwable failure) {
    if (ticket.settled() || !(failure instanceof RuntimeException e)) {
      end(failure);
      return;
    }
    try {
      settle(Settlement.generation(id, principal, request, plan.attempts().getFirst(),
          Settlement.Outcome.interruptedBy(e), exchange.startNanos()), () -> exchange.fail(e));
    } catch (RuntimeException again) {
      end(failure);
    }
  }

  /**
   * Settles {@code generation}, then, back on the event loop, answers with {@code then}; the
   * exchange ends (the ticket told the real cost, its reservation released) once the charge is
   * committed. Where the journal takes settled lines the answer goes as soon as the settlement is
   * journaled, before its commit (docs/performance.md, round 11), else after the commit. A
   * generation that could not be stored ends the exchange with the store's failure, or, answered
   * already, just ends it; it is recovered at the next start.
   */
  final void settle(GenerationRecord generation, Runnable then) {
    Settling settling = parts.settlement().settle(generation);
    if (!settling.durableFirst()) {
      onEventLoop(settling.committed(), () -> {
        exchange.endStage(StageTimes.Stage.SETTLE);
        ticket.settle(Money.toUsd(generation.costNanos()));
        try {
          then.run();
          end(null);
        } catch (RuntimeException e) {
          end(e);
        }
      });
      return;
    }
    onEventLoop(() -> {
      exchange.endStage(StageTimes.Stage.SETTLE);
      // Before the answer: the client's next request must find this one's cost held, not its worst case.
      ticket.priced(Money.toUsd(generation.costNanos()));
      RuntimeException answering = null;
      try {
        then.run();
      } catch (RuntimeException e) {
        answering = e;
      }
      @Nullable RuntimeException failure = answering;
      // The reservation stays until the charge is in the books, so admission never sees neither.
      settling.committed().whenComplete((v, notStored) -> onEventLoop(() -> {
        if (notStored == null) {
          ticket.settle(Money.toUsd(generation.costNanos()));
        }
        end(failure);
      }));
    });
  }

  /** Releases the reservation and ends the exchange, answering {@code failure} when there is one. */
  private void end(@Nullable Throwable failure) {
    try {
      ticket.close();
    } finally {
      if (failure == null) {
        exchange.finish();
      } else {
        exchange.fail(failure);
      }
    }
  }

  /**
   * Runs {@code next} on the connection's event loop: at once when already there (the usual case:
   * an attempt's future completes on the loop that sent it), else queued to it (the generation
   * writer's commits, a hedge started by its timer, a resumed stream's virtual thread).
   */
  final void onEventLoop(Runnable next) {
    if (exchange.eventLoop().nettyEventLoop().inEventLoop()) {
      next.run();
    } else {
      exchange.eventLoop().runOnContext(v -> next.run());
    }
  }

  /** Runs {@code next} on the connection's event loop once {@code stage} is done; a failure ends the flow. */
  private void onEventLoop(CompletableFuture<Void> stage, Runnable next) {
    stage.whenComplete((v, failure) -> onEventLoop(() -> {
      if (failure != null) {
        end(failure instanceof CompletionException wrapped && wrapped.getCause() != null
            ? wrapped.getCause() : failure);
        return;
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        interrupted(e);
      }
    }));
  }
}
