package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonFactory;
import dev.switchboard.core.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One HTTP request and its response, with the small helpers every handler needs. */
public final class Exchange {
  private final HttpServerRequest request;
  private final long startNanos = System.nanoTime();
  private @Nullable Future<byte[]> body;
  private java.util.function.Function<GatewayException, byte[]> errorFormat;

  Exchange(HttpServerRequest request, JsonFactory json) {
    this.request = request;
    this.errorFormat = error -> ErrorEnvelope.json(json, error);
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
   * {@code Content-Length} first, so an oversized upload is refused before it is read). Called
   * before the handler can wait on anything: once it waits, the request's context runs the body's
   * chunks, and a body that arrived with no handler set is lost.
   */
  void beginBody(long maxBytes) {
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
