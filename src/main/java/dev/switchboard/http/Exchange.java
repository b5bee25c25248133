package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonFactory;
import dev.switchboard.core.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/** One HTTP request and its response, with the small helpers every handler needs. */
public final class Exchange {
  private final HttpServerRequest request;
  private final long startNanos = System.nanoTime();
  private final ContextInternal eventLoop;
  private final Runnable onFinish;
  private final BiConsumer<Exchange, Throwable> onFailure;
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile boolean detached;
  private @Nullable Future<byte[]> body;
  private java.util.function.Function<GatewayException, byte[]> errorFormat;
  private final boolean timingHeader;
  /**
   * The chat flow's stage times, for {@code Server-Timing}: made by its first stage, so null for a
   * request outside the chat flow (or with the header switched off), which then gets no header.
   * Set and read by the request's threads one after another, as the marks are (see {@link StageTimes}).
   */
  private @Nullable StageTimes stages;

  /**
   * @param eventLoop the event-loop context serving the request's connection
   * @param onFinish tells the server the exchange is over (it counts the ones in progress)
   * @param onFailure answers a failure as the server answers a handler's exception
   * @param timingHeader whether chat answers carry {@code Server-Timing} ({@code server.timing_header})
   */
  Exchange(HttpServerRequest request, JsonFactory json, ContextInternal eventLoop, Runnable onFinish,
      BiConsumer<Exchange, Throwable> onFailure, boolean timingHeader) {
    this.request = request;
    this.timingHeader = timingHeader;
    this.eventLoop = eventLoop;
    this.onFinish = onFinish;
    this.onFailure = onFailure;
    this.errorFormat = error -> ErrorEnvelope.json(json, error);
  }

  /** The event-loop context serving this request's connection: where non-blocking stages run. */
  ContextInternal eventLoop() {
    return eventLoop;
  }

  /**
   * For a handler that returns before the exchange is over and ends it from callbacks: the server
   * then leaves {@link #finish} (and answering any failure, through {@link #fail}) to the handler.
   */
  void detach() {
    detached = true;
  }

  boolean detached() {
    return detached;
  }

  /** Ends the exchange for the server's count; once, however often it is called. */
  void finish() {
    if (finished.compareAndSet(false, true)) {
      onFinish.run();
    }
  }

  /** Answers {@code failure} as the server answers a handler's exception, then finishes. */
  void fail(Throwable failure) {
    try {
      onFailure.accept(this, failure);
    } finally {
      finish();
    }
  }

  public HttpServerRequest request() {
    return request;
  }

  public HttpServerResponse response() {
    return request.response();
  }

  public long startNanos() {
    return startNanos;
  }

  /** Marks the end of a chat request's {@code stage} (see {@link StageTimes}). */
  void endStage(StageTimes.Stage stage) {
    if (!timingHeader) {
      return;
    }
    if (stages == null) {
      stages = new StageTimes(startNanos);
    }
    stages.end(stage);
  }

  /**
   * Puts the {@code Server-Timing} header (the stages so far) on the response, when the request went
   * through the chat flow and the header is on; the chat flow calls it before a stream's head goes out,
   * {@link #sendJson} for everything else.
   */
  void putServerTiming() {
    if (stages != null) {
      request.response().putHeader("server-timing", stages.header(System.nanoTime()));
    }
  }

  public @Nullable String header(String name) {
    return request.getHeader(name);
  }

  public @Nullable String query(String name) {
    return request.getParam(name);
  }

  /**
   * The presented API key: {@code Authorization: Bearer KEY} (OpenAI, OpenRouter), else {@code
   * x-api-key: KEY} (Anthropic's SDKs); null when there is neither.
   */
  public @Nullable String bearerToken() {
    String header = request.getHeader("authorization");
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String apiKey = request.getHeader("x-api-key");
      return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  /**
   * Starts collecting the body, refusing more than {@code maxBytes} with a 413 (checked against
   * {@code Content-Length} first, so an oversized upload is refused before it is read). Called on
   * the event loop as the request arrives: a body that arrived with no handler set is lost.
   *
   * @return completes with the body (or the reason it was refused) once it is all read
   */
  Future<byte[]> beginBody(long maxBytes) {
    Promise<byte[]> done = Promise.promise();
    body = done.future();
    String length = request.getHeader("content-length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBytes) {
          done.fail(tooLarge(maxBytes));
        }
      } catch (NumberFormatException e) {
        done.fail(new GatewayException.InvalidRequest(null, "the Content-Length header is not a number"));
      }
    }
    // The chunks as they came, joined once at the end into the array the handler gets: a buffer that
    // grows by doubling, then copied out, allocated a 400 KB prompt about three times over. Nothing is
    // allocated ahead of the bytes arriving, whatever the Content-Length says.
    List<Buffer> chunks = new ArrayList<>();
    long[] received = {0};
    request.handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      if (received[0] + chunk.length() > maxBytes) {
        chunks.clear();
        done.tryFail(tooLarge(maxBytes));
        return;
      }
      chunks.add(chunk);
      received[0] += chunk.length();
    });
    request.endHandler(v -> {
      if (done.future().isComplete()) {
        return;
      }
      byte[] joined = new byte[(int) received[0]];
      int at = 0;
      for (Buffer chunk : chunks) {
        chunk.getBytes(0, chunk.length(), joined, at);
        at += chunk.length();
      }
      chunks.clear();
      done.tryComplete(joined);
    });
    request.exceptionHandler(done::tryFail);
    return done.future();
  }

  /** The whole request body, once it has arrived (see {@link #beginBody}). */
  public byte[] readBody() {
    if (body == null) {
      throw new IllegalStateException("beginBody was not called for " + request.method() + " " + request.path());
    }
    return body.await();
  }

  /** Errors from here on are written in this dialect's envelope (default: OpenRouter's). */
  public void useErrorFormat(java.util.function.Function<GatewayException, byte[]> format) {
    this.errorFormat = format;
  }

  public void sendJson(int status, byte[] body) {
    HttpServerResponse response = request.response();
    response.setStatusCode(status);
    response.putHeader("content-type", "application/json");
    putServerTiming();
    response.end(Buffer.buffer(body));
  }

  public void sendError(GatewayException error) {
    sendError(error, java.util.function.UnaryOperator.identity());
  }

  /** Sends {@code error} with its body passed through {@code decorate} (to add a field, say). */
  public void sendError(GatewayException error, java.util.function.UnaryOperator<byte[]> decorate) {
    HttpServerResponse response = request.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    if (error instanceof GatewayException.RateLimited limited && limited.retryAfterSeconds() != null) {
      response.putHeader("retry-after", String.valueOf(limited.retryAfterSeconds()));
    } else if (error instanceof GatewayException.NoEndpointAvailable
        && error.metadata().get("retry_after") instanceof Number seconds) {
      // Every endpoint is kept away for now (open circuits, Retry-After): say when to come back.
      response.putHeader("retry-after", String.valueOf(seconds.longValue()));
    }
    if (error instanceof GatewayException.PayloadTooLarge) {
      // The rest of an oversized body is not worth reading; close after answering.
      response.putHeader("connection", "close");
    }
    sendJson(error.status(), decorate.apply(errorFormat.apply(error)));
  }

  private static GatewayException tooLarge(long maxBytes) {
    return new GatewayException.PayloadTooLarge("the request body is larger than this gateway accepts ("
        + maxBytes + " bytes; server.max_body_size raises it)");
  }
}
