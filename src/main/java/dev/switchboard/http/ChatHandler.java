package dev.switchboard.http;

import dev.switchboard.accounting.Admission;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Principal;
import dev.switchboard.http.StageTimes.Stage;
import dev.switchboard.routing.Attempt;
import dev.switchboard.routing.ChatExecutor;
import dev.switchboard.routing.ParameterFit;
import dev.switchboard.routing.RoutePlan;
import dev.switchboard.routing.RoutePlanner;
import dev.switchboard.routing.RequestSwitches;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * The chat flow every dialect shares: authenticate, read, plan, run the attempt loop, answer in
 * JSON or SSE in the dialect's format, and record the generation durably before the response
 * completes. Up to admission it runs on the request's virtual thread; from there the request
 * continues as non-blocking stages ({@link CompletionFlow} for JSON, {@link StreamFlow} for SSE).
 */
public final class ChatHandler implements Handler {
  /** Lists request parameters the serving endpoint does not support and was sent without. */
  public static final String DROPPED_HEADER = "x-switchboard-dropped-parameters";
  /** OpenRouter's header form of {@code session_id}; the body field wins when both are given. */
  static final String SESSION_HEADER = "x-session-id";

  private final Auth auth;
  private final ChatDialect dialect;
  private final RoutePlanner planner;
  private final AdmissionGate admission;
  private final ByokPlanner byok;
  private final GenerationIds ids = new GenerationIds();
  private final Parts parts;

  /** What a request's stages ({@link RequestFlow}) need from the handler. */
  record Parts(Vertx vertx, ChatDialect dialect, ChatExecutor executor, Settlement settlement,
      AdmissionGate admission, AccessLog accessLog) {}

  ChatHandler(Vertx vertx, Auth auth, ChatDialect dialect, RoutePlanner planner, ChatExecutor executor,
      Settlement settlement, AdmissionGate admission, ByokPlanner byok, AccessLog accessLog) {
    this.auth = auth;
    this.dialect = dialect;
    this.planner = planner;
    this.admission = admission;
    this.byok = byok;
    this.parts = new Parts(vertx, dialect, executor, settlement, admission, accessLog);
  }

  @Override
  public void handle(Exchange exchange) {
    exchange.endStage(Stage.RECEIVE);
    exchange.useErrorFormat(dialect::error);
    Principal principal = auth.inference(exchange);
    exchange.endStage(Stage.AUTH);
    ChatRequest asked = dialect.read(exchange.readBody());
    String sessionHeader = exchange.header(SESSION_HEADER);
    if (asked.sessionId() == null && sessionHeader != null && !sessionHeader.isBlank()) {
      if (sessionHeader.trim().length() > 256) {
        throw new GatewayException.InvalidRequest(SESSION_HEADER,
            "the x-session-id header must be at most 256 characters");
      }
      asked = asked.withSessionId(sessionHeader.trim());
    }
    exchange.endStage(Stage.DECODE);
    // The account's own provider keys (BYOK) go first, each before the shared-key attempt it mirrors.
    RoutePlan plan = byok.withAccountKeys(planner.plan(asked, principal.accountId()), principal.accountId());
    RequestSwitches.validate(plan.request());
    exchange.endStage(Stage.PLAN);
    String id = ids.next();
    // Rate limits first: a request they refuse (429) must not hold a spending reservation.
    admission.limitRate(exchange, principal, plan, id);
    exchange.endStage(Stage.LIMITS);
    // Refuses (402) what the key or account cannot pay for, or lowers max_tokens to what it can;
    // the reservation is held until the generation's charge is committed. Admission sees the
    // request with a preset's defaults merged in and model variants resolved.
    Admission.Ticket ticket = admission.admit(exchange, principal, plan.request(), plan);
    exchange.endStage(Stage.ADMIT);
    try {
      // From here the flow owns the ticket and ends the exchange; this thread is done with it.
      RequestFlow flow = ticket.request().stream()
          ? new StreamFlow(parts, exchange, principal, plan, id, ticket)
          : new CompletionFlow(parts, exchange, principal, plan, id, ticket);
      flow.start();
    } catch (RuntimeException e) {
      ticket.close();
      throw e;
    }
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
}
