package dev.switchboard.http;

import dev.switchboard.accounting.Admission;
import dev.switchboard.accounting.Budgets;
import dev.switchboard.accounting.WorstCase;
import dev.switchboard.catalog.Endpoint;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.Principal;
import dev.switchboard.routing.RoutePlan;
import io.vertx.core.Vertx;

/**
 * Admission in the chat flow: checks a planned request against its key's limit and (when credits
 * are required) its account's balance, at the prices of the first planned endpoint, before any
 * attempt is made. A key without a limit costs nothing here when credits are not required: no
 * store read, no reservation.
 */
final class AdmissionGate {
  /** Set when admission lowered {@code max_tokens} to what the key or account can pay for. */
  static final String LOWERED_HEADER = "x-switchboard-max-tokens-lowered";

  private final Vertx vertx;
  private final Budgets budgets;
  private final Admission admission;
  private final RateLimitGate rateLimits;

  AdmissionGate(Vertx vertx, Budgets budgets, Admission admission, RateLimitGate rateLimits) {
    this.vertx = vertx;
    this.budgets = budgets;
    this.admission = admission;
    this.rateLimits = rateLimits;
  }

  /**
   * Counts the request against its rate limits (429 when one is used up); call before {@link
   * #admit}, so that a refused request never holds a reservation.
   */
  void limitRate(Exchange exchange, Principal principal, RoutePlan plan, String generationId) {
    rateLimits.chat(exchange, principal, plan.request(), plan, generationId);
  }

  /**
   * Admits the request, possibly with a lower {@code max_tokens} (then announced in {@value
   * #LOWERED_HEADER}); close the ticket once the request has settled.
   *
   * @throws dev.switchboard.core.GatewayException.PaymentRequired when not even its prompt fits
   */
  Admission.Ticket admit(Exchange exchange, Principal principal, ChatRequest request, RoutePlan plan) {
    if (principal.limitUsd() == null && !budgets.creditsRequired()) {
      return Admission.Ticket.unreserved(request);
    }
    Admission.Ticket ticket = admission.admit(principal.keyHash(), principal.accountId(), request,
        quote(plan), () -> caps(principal));
    if (ticket.loweredMaxTokens() != null) {
      exchange.response().putHeader(LOWERED_HEADER, String.valueOf(ticket.loweredMaxTokens()));
    }
    return ticket;
  }

  /**
   * Admits an embeddings request of about {@code inputTokens} at the first planned endpoint's
   * prices: it fits what its key and account have left, or it is refused with 402.
   */
  Admission.Ticket admitEmbeddings(Principal principal, long inputTokens, RoutePlan plan) {
    if (principal.limitUsd() == null && !budgets.creditsRequired()) {
      return Admission.Ticket.unreserved(null);
    }
    return admission.admitEmbeddings(principal.keyHash(), principal.accountId(), inputTokens,
        plan.attempts().getFirst().endpoint().pricing(), () -> caps(principal));
  }

  /**
   * What the attempt journal records as the request's worst case: what admission reserved, or,
   * when nothing capped it, the same estimate made now.
   */
  WorstCase worstCase(Admission.Ticket ticket, RoutePlan plan) {
    WorstCase reserved = ticket.worstCase();
    return reserved != null ? reserved : admission.worstCase(ticket.request(), quote(plan));
  }

  private Budgets.Caps caps(Principal principal) {
    return vertx.executeBlocking(() -> budgets.caps(principal.keyHash(), principal.accountId())).await();
  }

  private static Admission.Quote quote(RoutePlan plan) {
    Endpoint endpoint = plan.attempts().getFirst().endpoint();
    return new Admission.Quote(endpoint.pricing(), endpoint.maxCompletionTokens(), endpoint.contextLength());
  }
}
