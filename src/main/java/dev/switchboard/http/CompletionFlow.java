package dev.switchboard.http;

import dev.switchboard.accounting.Admission;
import dev.switchboard.core.Cancellation;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Usage;
import dev.switchboard.http.openai.Stamp;
import dev.switchboard.routing.ChatExecutor;
import dev.switchboard.routing.Completion;
import dev.switchboard.routing.Delivery;
import dev.switchboard.routing.RoutePlan;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.Money;
import io.vertx.core.AsyncResult;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * A non-streamed chat request from admission on, as non-blocking stages: its journal row is
 * committed (on the generation writer), the attempts run and the answer is encoded (on the event
 * loop of the client's connection), the generation is settled (writer), and the response is
 * written (event loop). No thread waits for another: each stage is started by the completion of
 * the one before, which on this 2-core VM costs a fraction of a virtual thread's park and wake-up
 * (docs/performance.md, "Virtual threads vs the event loop").
 *
 * <p>Owns the admission ticket from {@link #start} on, and ends the exchange. One instance per
 * request; its stages run one after another, never at once.
 */
final class CompletionFlow {
  private final ChatHandler.Parts parts;
  private final Exchange exchange;
  private final Principal principal;
  private final ChatRequest request;
  private final RoutePlan plan;
  private final String id;
  private final Admission.Ticket ticket;
  private final Cancellation cancellation = new Cancellation();

  CompletionFlow(ChatHandler.Parts parts, Exchange exchange, Principal principal, RoutePlan plan, String id,
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
  void start() {
    exchange.response().closeHandler(v -> cancellation.cancel());
    // Journaled (durably) before any byte goes upstream: from here a crash cannot lose its charge.
    CompletableFuture<Void> journaled = parts.settlement().begin(id, principal,
        plan.attempts().getFirst().model().id(), false, plan.attempts().getFirst(),
        parts.admission().worstCase(ticket, plan));
    exchange.detach();
    onEventLoop(journaled, this::attempt);
  }

  private void attempt() {
    parts.executor().completeAsync(request, plan, cancellation).onComplete(this::answered);
  }

  private void answered(AsyncResult<Completion> done) {
    try {
      if (done.succeeded()) {
        succeeded(done.result());
      } else if (done.cause() instanceof ChatExecutor.AttemptsFailed failed) {
        failed(failed);
      } else if (done.cause() instanceof ChatExecutor.ClientGone) {
        settle(Settlement.generation(id, principal, request, plan.attempts().getFirst(),
            Settlement.Outcome.failed("cancelled", 1, 499, "the client disconnected before the upstream answered"),
            exchange.startNanos()), () -> parts.accessLog().failed(exchange, principal, id, request.model(), 1, 499));
      } else {
        interrupted(done.cause());
      }
    } catch (RuntimeException e) {
      interrupted(e);
    }
  }

  private void succeeded(Completion completion) {
    long answeredNanos = System.nanoTime();
    ChatResponse response = ReasoningExclusion.requested(request)
        ? ReasoningExclusion.strip(completion.response()) : completion.response();
    Settlement settlement = parts.settlement();
    Usage usage = settlement.usage(response.usage(), request,
        response.choices().isEmpty() ? "" : response.first().message().textContent());
    BigDecimal cost = settlement.cost(completion.served(), usage, request);
    parts.executor().delivered(
        new Delivery(completion.outcomes(), false, null, answeredNanos, usage, cost, null, false));
    var choice = response.choices().isEmpty() ? null : response.first();
    GenerationRecord generation = Settlement.generation(id, principal, request, completion.served(),
        new Settlement.Outcome("success", response.upstreamId(),
            choice == null || choice.finishReason() == null ? null : choice.finishReason().wireName(),
            choice == null ? null : choice.nativeFinishReason(), usage, cost, null,
            completion.outcomes().size(), null, null), exchange.startNanos());
    // Encoded before settling, so that a failure to encode is settled as what it is.
    Stamp stamp = new Stamp(id, System.currentTimeMillis() / 1000, completion.served().model().id(),
        completion.served().provider().slug(), response.systemFingerprint());
    byte[] encoded = parts.dialect().response(request, response, stamp, usage, cost);
    byte[] body = RoutingExplanation.wanted(exchange)
        ? RoutingExplanation.withField(encoded,
            RoutingExplanation.json(plan.requested(), plan, completion.outcomes(), completion.served()))
        : encoded;
    settle(generation, () -> {
      exchange.response().putHeader("x-generation-id", id);
      ChatHandler.announceDropped(exchange.response(), request, completion.served());
      exchange.sendJson(200, body);
      parts.accessLog().served(exchange, principal, id, completion.served(), completion.outcomes().size(), 200,
          usage);
    });
  }

  private void failed(ChatExecutor.AttemptsFailed failed) {
    GatewayException error = failed.clientError();
    // No attempt at all when every endpoint became unavailable between planning and trying.
    var last = failed.outcomes().isEmpty() ? null : failed.outcomes().getLast().attempt();
    settle(Settlement.generation(id, principal, request, last,
        Settlement.Outcome.failed("error", failed.outcomes().size(), error.status(), error.getMessage()),
        exchange.startNanos()), () -> {
          parts.accessLog().failed(exchange, principal, id, request.model(), failed.outcomes().size(),
              error.status());
          if (RoutingExplanation.wanted(exchange)) {
            byte[] explanation = RoutingExplanation.json(plan.requested(), plan, failed.outcomes(), null);
            exchange.sendError(error, body -> RoutingExplanation.withField(body, explanation));
          } else {
            exchange.sendError(error);
          }
        });
  }

  /**
   * An internal failure before settlement: settled as failed now, rather than left in the journal
   * to be recovered (charged its estimate) at the next restart; then answered as the server
   * answers any handler's failure.
   */
  private void interrupted(Throwable failure) {
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
   * Settles {@code generation} (its charge durable, the ticket told), then, back on the event loop,
   * answers with {@code then} and ends the exchange. A generation that could not be stored ends the
   * exchange with the store's failure; its journal row stays to be recovered at its estimate.
   */
  private void settle(GenerationRecord generation, Runnable then) {
    onEventLoop(parts.settlement().settle(generation), () -> {
      ticket.settle(Money.toUsd(generation.costNanos()));
      try {
        then.run();
        end(null);
      } catch (RuntimeException e) {
        end(e);
      }
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

  /** Runs {@code next} on the connection's event loop once {@code stage} is done; a failure ends the flow. */
  private void onEventLoop(CompletableFuture<Void> stage, Runnable next) {
    stage.whenComplete((v, failure) -> exchange.eventLoop().runOnContext(x -> {
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
