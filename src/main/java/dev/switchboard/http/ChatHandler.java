package dev.switchboard.http;

import dev.switchboard.accounting.Admission;
import dev.switchboard.core.Cancellation;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Usage;
import dev.switchboard.http.openai.Stamp;
import dev.switchboard.routing.Attempt;
import dev.switchboard.routing.ChatExecutor;
import dev.switchboard.routing.Delivery;
import dev.switchboard.routing.ParameterFit;
import dev.switchboard.routing.OpenedStream;
import dev.switchboard.routing.RoutePlan;
import dev.switchboard.routing.RoutePlanner;
import dev.switchboard.routing.RequestSwitches;
import dev.switchboard.routing.UpstreamFailures;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The chat flow every dialect shares: authenticate, read, plan, run the attempt loop, answer in
 * JSON or SSE in the dialect's format, and record the generation durably before the response
 * completes. Up to admission it runs on the request's virtual thread; a non-streamed request then
 * continues as non-blocking stages ({@link CompletionFlow}), a stream here.
 */
public final class ChatHandler implements Handler {
  /** How long a stream may wait for its first upstream byte before we commit to SSE and send comments. */
  private static final long PROCESSING_DELAY_MS = 1_000;
  private static final long PROCESSING_INTERVAL_MS = 10_000;
  /** Lists request parameters the serving endpoint does not support and was sent without. */
  public static final String DROPPED_HEADER = "x-switchboard-dropped-parameters";
  /** OpenRouter's header form of {@code session_id}; the body field wins when both are given. */
  static final String SESSION_HEADER = "x-session-id";

  private final Vertx vertx;
  private final Auth auth;
  private final ChatDialect dialect;
  private final RoutePlanner planner;
  private final ChatExecutor executor;
  private final Settlement settlement;
  private final AdmissionGate admission;
  private final ByokPlanner byok;
  private final GenerationIds ids = new GenerationIds();
  private final AccessLog accessLog;
  private final Parts parts;

  /** What a request's stages need from the handler, handed to {@link CompletionFlow}. */
  record Parts(ChatDialect dialect, ChatExecutor executor, Settlement settlement, AdmissionGate admission,
      AccessLog accessLog) {}

  ChatHandler(Vertx vertx, Auth auth, ChatDialect dialect, RoutePlanner planner, ChatExecutor executor,
      Settlement settlement, AdmissionGate admission, ByokPlanner byok, AccessLog accessLog) {
    this.vertx = vertx;
    this.auth = auth;
    this.dialect = dialect;
    this.planner = planner;
    this.executor = executor;
    this.settlement = settlement;
    this.admission = admission;
    this.byok = byok;
    this.accessLog = accessLog;
    this.parts = new Parts(dialect, executor, settlement, admission, accessLog);
  }

  @Override
  public void handle(Exchange exchange) {
    exchange.useErrorFormat(dialect::error);
    Principal principal = auth.inference(exchange);
    ChatRequest asked = dialect.read(exchange.readBody());
    String sessionHeader = exchange.header(SESSION_HEADER);
    if (asked.sessionId() == null && sessionHeader != null && !sessionHeader.isBlank()) {
      if (sessionHeader.trim().length() > 256) {
        throw new GatewayException.InvalidRequest(SESSION_HEADER,
            "the x-session-id header must be at most 256 characters");
      }
      asked = asked.withSessionId(sessionHeader.trim());
    }
    // The account's own provider keys (BYOK) go first, each before the shared-key attempt it mirrors.
    RoutePlan plan = byok.withAccountKeys(planner.plan(asked, principal.accountId()), principal.accountId());
    RequestSwitches.validate(plan.request());
    String id = ids.next();
    // Rate limits first: a request they refuse (429) must not hold a spending reservation.
    admission.limitRate(exchange, principal, plan, id);
    // Refuses (402) what the key or account cannot pay for, or lowers max_tokens to what it can;
    // the reservation is held until the generation's charge is committed. Admission sees the
    // request with a preset's defaults merged in and model variants resolved.
    Admission.Ticket ticket = admission.admit(exchange, principal, plan.request(), plan);
    if (!ticket.request().stream()) {
      try {
        // From here the flow owns the ticket and ends the exchange; this thread is done with it.
        new CompletionFlow(parts, exchange, principal, plan, id, ticket).start();
      } catch (RuntimeException e) {
        ticket.close();
        throw e;
      }
      return;
    }
    try (ticket) {
      ChatRequest request = ticket.request();
      // Journaled (durably) before any byte goes upstream: from here a crash cannot lose its charge.
      settlement.start(id, principal, plan.attempts().getFirst().model().id(), request.stream(),
          plan.attempts().getFirst(), admission.worstCase(ticket, plan));
      Cancellation cancellation = new Cancellation();
      exchange.response().closeHandler(v -> cancellation.cancel());
      try {
        stream(exchange, principal, request, plan, id, cancellation, ticket);
      } catch (RuntimeException e) {
        if (!ticket.settled()) {
          // An internal failure before settlement: settle as failed now, rather than leave the
          // journal row to be recovered (charged its estimate) at the next restart.
          settlement.record(ticket, Settlement.generation(id, principal, request, plan.attempts().getFirst(),
              Settlement.Outcome.interruptedBy(e), exchange.startNanos()));
        }
        throw e;
      }
    }
  }

  private void stream(Exchange exchange, Principal principal, ChatRequest request, RoutePlan plan,
      String id, Cancellation cancellation, Admission.Ticket ticket) {
    HttpServerResponse response = exchange.response();
    AtomicBoolean committed = new AtomicBoolean();
    // Nothing about the serving endpoint is known until an attempt succeeds; keep-alives and
    // early errors carry the requested model.
    StreamWriter pending = dialect.streamWriter(request,
        new Stamp(id, System.currentTimeMillis() / 1000, request.model(), "none", null));
    long timer = vertx.setPeriodic(PROCESSING_DELAY_MS, PROCESSING_INTERVAL_MS, t -> {
      if (!response.closed() && !response.ended()) {
        commit(response, id, committed);
        response.write(Buffer.buffer(pending.keepAlive()));
      }
    });
    OpenedStream opened;
    try {
      opened = executor.open(request, plan, cancellation);
    } catch (ChatExecutor.AttemptsFailed failed) {
      recordFailure(exchange, principal, request, id, failed, ticket);
      byte[] explanation = RoutingExplanation.wanted(exchange)
          ? RoutingExplanation.json(plan.requested(), plan, failed.outcomes(), null) : null;
      if (!committed.get()) {
        if (explanation != null) {
          exchange.sendError(failed.clientError(), body -> RoutingExplanation.withField(body, explanation));
          return;
        }
        throw failed.clientError();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (explanation != null) {
        out.writeBytes(RoutingExplanation.comment(explanation));
      }
      pending.appendError(out, failed.clientError());
      response.end(Buffer.buffer(out.toByteArray()));
      return;
    } catch (ChatExecutor.ClientGone gone) {
      recordCancelled(exchange, principal, request, id, plan, ticket);
      return;
    } finally {
      vertx.cancelTimer(timer);
    }
    if (!committed.get()) {
      announceDropped(response, request, opened.served());
    }
    commit(response, id, committed);
    Stamp stamp = new Stamp(id, System.currentTimeMillis() / 1000, opened.served().model().id(),
        opened.served().provider().slug(), null);
    StreamWriter writer = dialect.streamWriter(request, stamp);
    ByteArrayOutputStream start = new ByteArrayOutputStream(256);
    writer.appendStart(start);
    if (start.size() > 0) {
      response.write(Buffer.buffer(start.toByteArray()));
    }
    ResumingRelay.Result relayed = new ResumingRelay(executor, settlement, writer, response, exchange.startNanos())
        .run(request, plan, opened, cancellation);
    long endedNanos = System.nanoTime();
    StreamRelay.Outcome outcome = relayed.last();
    Attempt served = relayed.served();
    int attempts = relayed.explained().size();
    Usage usage = relayed.usage();
    BigDecimal cost = relayed.cost();
    // Statistics and metrics learn the last part; a broken part before it was reported when it was resumed.
    executor.delivered(new Delivery(relayed.outcomes(), true, outcome.firstTokenMillis() == null ? null
        : exchange.startNanos() + outcome.firstTokenMillis() * 1_000_000, endedNanos, relayed.lastUsage(),
        relayed.lastCost(), outcome.failure(), outcome.clientGone()));
    String status = outcome.clientGone() ? "cancelled" : outcome.failure() != null ? "error" : "success";
    GatewayException error = outcome.failure() == null ? null
        : UpstreamFailures.toClientError(outcome.failure(), served.provider().slug(), attempts);
    settlement.record(ticket, Settlement.generation(id, principal, request, served,
        new Settlement.Outcome(status, relayed.upstreamId(),
            error != null ? "error" : outcome.finishReason() == null ? null : outcome.finishReason().wireName(),
            outcome.nativeFinishReason(), usage, cost, relayed.firstTokenMillis(), attempts,
            error == null ? null : error.status(), error == null ? null : error.getMessage()),
        exchange.startNanos()));
    if (outcome.clientGone() || response.closed()) {
      accessLog.served(exchange, principal, id, served, attempts, 499, usage);
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    if (RoutingExplanation.wanted(exchange)) {
      out.writeBytes(RoutingExplanation.comment(
          RoutingExplanation.json(plan.requested(), plan, relayed.explained(), served)));
    }
    if (error != null) {
      writer.appendError(out, error);
    } else {
      writer.appendEnd(out, usage, cost);
    }
    response.end(Buffer.buffer(out.toByteArray()));
    accessLog.served(exchange, principal, id, served, attempts, error == null ? 200 : error.status(), usage);
  }

  /**
   * Names the parameters the serving endpoint could not honour and was sent without, so a client
   * is never silently given less than it asked for. (On a stream whose headers already went out
   * as keep-alives there is no header left to write; the generation record still has the endpoint.)
   */
  static void announceDropped(HttpServerResponse response, ChatRequest request, Attempt served) {
    List<String> dropped = ParameterFit.of(request, served.endpoint()).dropped();
    if (!dropped.isEmpty()) {
      response.putHeader(DROPPED_HEADER, String.join(", ", dropped));
    }
  }

  private static void commit(HttpServerResponse response, String id, AtomicBoolean committed) {
    if (committed.compareAndSet(false, true)) {
      response.setStatusCode(200);
      response.putHeader("content-type", "text/event-stream");
      response.putHeader("cache-control", "no-cache");
      response.putHeader("x-generation-id", id);
      response.setChunked(true);
    }
  }

  private void recordFailure(Exchange exchange, Principal principal, ChatRequest request, String id,
      ChatExecutor.AttemptsFailed failed, Admission.Ticket ticket) {
    GatewayException error = failed.clientError();
    // No attempt at all when every endpoint became unavailable between planning and trying.
    var last = failed.outcomes().isEmpty() ? null : failed.outcomes().getLast().attempt();
    settlement.record(ticket, Settlement.generation(id, principal, request, last,
        Settlement.Outcome.failed("error", failed.outcomes().size(), error.status(), error.getMessage()),
        exchange.startNanos()));
    accessLog.failed(exchange, principal, id, request.model(), failed.outcomes().size(), error.status());
  }

  private void recordCancelled(Exchange exchange, Principal principal, ChatRequest request, String id,
      RoutePlan plan, Admission.Ticket ticket) {
    settlement.record(ticket, Settlement.generation(id, principal, request, plan.attempts().getFirst(),
        Settlement.Outcome.failed("cancelled", 1, 499, "the client disconnected before the upstream answered"),
        exchange.startNanos()));
    accessLog.failed(exchange, principal, id, request.model(), 1, 499);
  }
}
