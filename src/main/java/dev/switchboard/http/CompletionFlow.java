package dev.switchboard.http;

import dev.switchboard.accounting.Admission;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Usage;
import dev.switchboard.http.openai.Stamp;
import dev.switchboard.routing.ChatExecutor;
import dev.switchboard.routing.Completion;
import dev.switchboard.routing.Delivery;
import dev.switchboard.routing.RoutePlan;
import dev.switchboard.store.GenerationRecord;
import java.math.BigDecimal;

/** A non-streamed chat request from admission on: one JSON answer (see {@link RequestFlow}). */
final class CompletionFlow extends RequestFlow {

  CompletionFlow(ChatHandler.Parts parts, Exchange exchange, Principal principal, RoutePlan plan, String id,
      Admission.Ticket ticket) {
    super(parts, exchange, principal, plan, id, ticket);
  }

  @Override
  void attempt() {
    parts.executor().completeAsync(request, plan, cancellation)
        .onComplete(done -> onEventLoop(() -> attempted(done, this::succeeded, this::answerFailure)));
  }

  private void answerFailure(ChatExecutor.AttemptsFailed failed) {
    if (RoutingExplanation.wanted(exchange)) {
      byte[] explanation = RoutingExplanation.json(plan.requested(), plan, failed.outcomes(), null);
      exchange.sendError(failed.clientError(), body -> RoutingExplanation.withField(body, explanation));
    } else {
      exchange.sendError(failed.clientError());
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
}
