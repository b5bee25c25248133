package dev.switchboard.http;

import dev.switchboard.accounting.Admission;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Usage;
import dev.switchboard.http.openai.Stamp;
import dev.switchboard.routing.Attempt;
import dev.switchboard.routing.ChatExecutor;
import dev.switchboard.routing.Delivery;
import dev.switchboard.routing.OpenedStream;
import dev.switchboard.routing.RoutePlan;
import dev.switchboard.routing.UpstreamFailures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;

/**
 * A streamed chat request from admission on (see {@link RequestFlow}): opens the stream, relays it
 * (resuming it elsewhere when it breaks and may be), settles it, and ends the SSE response. While
 * no endpoint has answered yet, keep-alive comments go out after {@value #PROCESSING_DELAY_MS} ms,
 * committing the response to SSE.
 */
final class StreamFlow extends RequestFlow {
  /** How long a stream may wait for its first upstream byte before we commit to SSE and send comments. */
  private static final long PROCESSING_DELAY_MS = 1_000;
  private static final long PROCESSING_INTERVAL_MS = 10_000;

  private final HttpServerResponse response;
  /** Headers sent (a keep-alive went out, or the stream opened). Only touched on the event loop. */
  private boolean committed;
  private long keepAlives = -1;
  /** Until an attempt succeeds nothing is known of the serving endpoint; early writes carry the requested model. */
  private final StreamWriter pending;

  StreamFlow(ChatHandler.Parts parts, Exchange exchange, Principal principal, RoutePlan plan, String id,
      Admission.Ticket ticket) {
    super(parts, exchange, principal, plan, id, ticket);
    this.response = exchange.response();
    this.pending = parts.dialect().streamWriter(request,
        new Stamp(id, System.currentTimeMillis() / 1000, request.model(), "none", null));
  }

  @Override
  void attempt() {
    keepAlives = parts.vertx().setPeriodic(PROCESSING_DELAY_MS, PROCESSING_INTERVAL_MS, t -> {
      if (!response.closed() && !response.ended()) {
        commit();
        response.write(Buffer.buffer(pending.keepAlive()));
      }
    });
    parts.executor().openAsync(request, plan, cancellation).onComplete(done -> onEventLoop(() -> {
      parts.vertx().cancelTimer(keepAlives);
      attempted(done, this::relay, this::answerFailure);
    }));
  }

  private void answerFailure(ChatExecutor.AttemptsFailed failed) {
    byte[] explanation = RoutingExplanation.wanted(exchange)
        ? RoutingExplanation.json(plan.requested(), plan, failed.outcomes(), null) : null;
    if (!committed) {
      if (explanation != null) {
        exchange.sendError(failed.clientError(), body -> RoutingExplanation.withField(body, explanation));
      } else {
        exchange.sendError(failed.clientError());
      }
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (explanation != null) {
      out.writeBytes(RoutingExplanation.comment(explanation));
    }
    pending.appendError(out, failed.clientError());
    response.end(Buffer.buffer(out.toByteArray()));
  }

  private void relay(OpenedStream opened) {
    if (!committed) {
      ChatHandler.announceDropped(response, request, opened.served());
    }
    commit();
    Stamp stamp = new Stamp(id, System.currentTimeMillis() / 1000, opened.served().model().id(),
        opened.served().provider().slug(), null);
    StreamWriter writer = parts.dialect().streamWriter(request, stamp);
    ByteArrayOutputStream start = new ByteArrayOutputStream(256);
    writer.appendStart(start);
    if (start.size() > 0) {
      response.write(Buffer.buffer(start.toByteArray()));
    }
    new ResumingRelay(parts.executor(), parts.settlement(), writer, response, exchange.startNanos())
        .start(request, plan, opened, cancellation)
        // A resumed stream ends on a virtual thread: back to the event loop for the rest.
        .onComplete(relayed -> onEventLoop(() -> {
          try {
            if (relayed.failed()) {
              interrupted(relayed.cause());
            } else {
              relayed(relayed.result(), writer);
            }
          } catch (RuntimeException e) {
            interrupted(e);
          }
        }));
  }

  private void relayed(ResumingRelay.Result relayed, StreamWriter writer) {
    long endedNanos = System.nanoTime();
    StreamRelay.Outcome outcome = relayed.last();
    Attempt served = relayed.served();
    int attempts = relayed.explained().size();
    Usage usage = relayed.usage();
    BigDecimal cost = relayed.cost();
    // Statistics and metrics learn the last part; a broken part before it was reported when it was resumed.
    parts.executor().delivered(new Delivery(relayed.outcomes(), true, outcome.firstTokenMillis() == null ? null
        : exchange.startNanos() + outcome.firstTokenMillis() * 1_000_000, endedNanos, relayed.lastUsage(),
        relayed.lastCost(), outcome.failure(), outcome.clientGone()));
    String status = outcome.clientGone() ? "cancelled" : outcome.failure() != null ? "error" : "success";
    GatewayException error = outcome.failure() == null ? null
        : UpstreamFailures.toClientError(outcome.failure(), served.provider().slug(), attempts);
    settle(Settlement.generation(id, principal, request, served,
        new Settlement.Outcome(status, relayed.upstreamId(),
            error != null ? "error" : outcome.finishReason() == null ? null : outcome.finishReason().wireName(),
            outcome.nativeFinishReason(), usage, cost, relayed.firstTokenMillis(), attempts,
            error == null ? null : error.status(), error == null ? null : error.getMessage()),
        exchange.startNanos()), () -> {
          if (outcome.clientGone() || response.closed()) {
            parts.accessLog().served(exchange, principal, id, served, attempts, 499, usage);
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
          parts.accessLog().served(exchange, principal, id, served, attempts, error == null ? 200 : error.status(),
              usage);
        });
  }

  private void commit() {
    if (!committed) {
      committed = true;
      response.setStatusCode(200);
      response.putHeader("content-type", "text/event-stream");
      response.putHeader("cache-control", "no-cache");
      response.putHeader("x-generation-id", id);
      exchange.putServerTiming();
      response.setChunked(true);
    }
  }
}
