package dev.switchboard.http;

import dev.switchboard.accounting.Admission;
import dev.switchboard.core.Cancellation;
import dev.switchboard.core.EmbeddingRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Usage;
import dev.switchboard.http.openai.OpenAiEmbeddingsReader;
import dev.switchboard.http.openai.OpenAiEmbeddingsWriter;
import dev.switchboard.http.openai.Stamp;
import dev.switchboard.routing.Attempt;
import dev.switchboard.routing.ChatExecutor;
import dev.switchboard.routing.EmbeddingExecutor;
import dev.switchboard.routing.RoutePlan;
import dev.switchboard.routing.RoutePlanner;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/v1/embeddings} (and {@code /v1/embeddings}): authenticate, read, plan, run the
 * attempt loop, settle, answer in OpenAI's shape. The same steps as {@link ChatHandler} without
 * streaming: embeddings are answered whole, and every request, failed or not, is recorded as a
 * generation before the response completes.
 */
final class EmbeddingsHandler implements Handler {
  private final Auth auth;
  private final OpenAiEmbeddingsReader reader;
  private final OpenAiEmbeddingsWriter writer;
  private final RoutePlanner planner;
  private final EmbeddingExecutor executor;
  private final Settlement settlement;
  private final AdmissionGate admission;
  private final ByokPlanner byok;
  private final RateLimitGate rateLimits;
  private final GenerationIds ids = new GenerationIds();
  private final AccessLog accessLog;

  EmbeddingsHandler(Auth auth, OpenAiEmbeddingsReader reader, OpenAiEmbeddingsWriter writer, RoutePlanner planner,
      EmbeddingExecutor executor, Settlement settlement, AdmissionGate admission, ByokPlanner byok,
      RateLimitGate rateLimits, AccessLog accessLog) {
    this.auth = auth;
    this.reader = reader;
    this.writer = writer;
    this.planner = planner;
    this.executor = executor;
    this.settlement = settlement;
    this.admission = admission;
    this.byok = byok;
    this.rateLimits = rateLimits;
    this.accessLog = accessLog;
  }

  @Override
  public void handle(Exchange exchange) {
    Principal principal = auth.inference(exchange);
    EmbeddingRequest request = reader.read(exchange.readBody());
    RoutePlan plan = byok.withAccountKeys(planner.plan(request), principal.accountId());
    // Embeddings are admitted like chat: 402 when the key's limit or the account's credits cannot
    // pay for their inputs, and their cost is reserved until they settle.
    String id = ids.next();
    // Rate limits first: a request they refuse (429) must not hold a spending reservation.
    rateLimits.embeddings(exchange, principal, request, plan, id);
    long inputTokens = settlement.inputTokens(request);
    try (Admission.Ticket ticket = admission.admitEmbeddings(principal, inputTokens, plan)) {
      Attempt first = plan.attempts().getFirst();
      settlement.start(id, principal, first.model().id(), false, first,
          ticket.worstCase() != null ? ticket.worstCase()
              : Admission.embeddingsWorstCase(inputTokens, first.endpoint().pricing()));
      try {
        embed(exchange, principal, request, plan, id, ticket);
      } catch (RuntimeException e) {
        if (!ticket.settled()) {
          record(exchange, principal, request, id, first, ticket,
              Settlement.Outcome.interruptedBy(e));
        }
        throw e;
      }
    }
  }

  private void embed(Exchange exchange, Principal principal, EmbeddingRequest request, RoutePlan plan,
      String id, Admission.Ticket ticket) {
    Cancellation cancellation = new Cancellation();
    exchange.response().closeHandler(v -> cancellation.cancel());
    EmbeddingExecutor.Embedded embedded;
    try {
      embedded = executor.embed(request, plan, cancellation);
    } catch (ChatExecutor.AttemptsFailed failed) {
      GatewayException error = failed.clientError();
      record(exchange, principal, request, id,
          failed.outcomes().isEmpty() ? null : failed.outcomes().getLast().attempt(), ticket,
          Settlement.Outcome.failed("error", failed.outcomes().size(), error.status(), error.getMessage()));
      accessLog.failed(exchange, principal, id, request.model(), failed.outcomes().size(), error.status());
      throw error;
    } catch (ChatExecutor.ClientGone gone) {
      record(exchange, principal, request, id, plan.attempts().getFirst(), ticket, Settlement.Outcome.failed(
          "cancelled", 1, 499, "the client disconnected before the upstream answered"));
      accessLog.failed(exchange, principal, id, request.model(), 1, 499);
      return;
    }
    Attempt served = embedded.served();
    int attempts = embedded.outcomes().size();
    Usage usage = settlement.usage(embedded.response().usage(), request);
    BigDecimal cost = settlement.cost(served, usage);
    record(exchange, principal, request, id, served, ticket, new Settlement.Outcome("success",
        embedded.response().upstreamId(), null, null, usage, cost, null, attempts, null, null));
    Stamp stamp = new Stamp(id, System.currentTimeMillis() / 1000, served.model().id(),
        served.provider().slug(), null);
    exchange.response().putHeader("x-generation-id", id);
    exchange.sendJson(200, writer.write(embedded.response(), request.encodingFormat(), stamp, usage, cost));
    accessLog.served(exchange, principal, id, served, attempts, 200, usage);
  }

  private void record(Exchange exchange, Principal principal, EmbeddingRequest request, String id,
      @Nullable Attempt attempt, Admission.Ticket ticket, Settlement.Outcome outcome) {
    settlement.record(ticket, Settlement.generation(id, principal, request.model(), false, attempt, outcome,
        exchange.startNanos()));
  }
}
