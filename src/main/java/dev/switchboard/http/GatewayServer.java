package dev.switchboard.http;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.core.JsonFactory;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.core.GatewayException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The inbound HTTP server: Vert.x verticles, one per configured instance, sharing the port. The
 * event loop reads a request and its body; then its handler runs on a virtual thread (DESIGN.md),
 * and a chat request, from admission on, as stages on the event loop again ({@link RequestFlow}).
 * A handler failure that is not a {@link GatewayException} becomes a 500 with a generic message and
 * a log line, never a stack trace on the wire.
 */
public final class GatewayServer {
  private static final System.Logger LOG = System.getLogger(GatewayServer.class.getName());

  private final Vertx vertx;
  private final ServerConfig config;
  private final Routes routes;
  private final JsonFactory json;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  /** Requests whose handler has not returned yet (a stream's includes settling its generation). */
  private final AtomicInteger running = new AtomicInteger();
  private volatile int port;

  public GatewayServer(Vertx vertx, ServerConfig config, Routes routes, JsonFactory json) {
    this.vertx = vertx;
    this.config = config;
    this.routes = routes;
    this.json = json;
  }

  /** Binds and starts serving; returns when the port is open. */
  public void start() {
    var options = new DeploymentOptions().setInstances(config.instances());
    vertx.deployVerticle(() -> new ServerVerticle(), options).await();
  }

  /**
   * Stops the server for a shutdown: stops accepting connections at once, closes idle keep-alive
   * connections, lets requests in progress finish for up to {@code grace}, then cuts the connections
   * still open (a cut stream's handler sees its client gone and settles its generation as
   * cancelled), and waits up to {@code settle} more for those handlers to return.
   *
   * @return how many handlers were still running when it gave up waiting (0 when all returned)
   */
  public int shutdown(Duration grace, Duration settle) {
    List<Future<Void>> closing = new ArrayList<>();
    for (HttpServer server : servers) {
      closing.add(server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS));
    }
    long deadline = System.nanoTime() + grace.plus(settle).toNanos();
    try {
      Future.join(closing).toCompletionStage().toCompletableFuture()
          .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.WARNING, "the HTTP server did not close cleanly: {0}", String.valueOf(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return running.get();
    }
    while (running.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return running.get();
  }

  /** The bound port (differs from the configured one when that was 0). */
  public int port() {
    return port;
  }

  private final class ServerVerticle extends VerticleBase {
    private @Nullable HttpServer server;

    @Override
    public Future<?> start() {
      // Handlers run on virtual threads of a context on this verticle's event loop; the connection
      // itself (the request line, the body's chunks) stays on the event loop.
      ContextInternal handlers = ((VertxInternal) vertx).contextBuilder()
          .withThreadingModel(ThreadingModel.VIRTUAL_THREAD)
          .withEventLoop(((ContextInternal) context).nettyEventLoop())
          .build();
      HttpServerOptions options = new HttpServerOptions()
          .setHost(config.host())
          // Port 0 would give every instance its own ephemeral port, and port() would report only
          // one of them. A negative port is Vert.x's "one ephemeral port shared by every server
          // of this Vertx asking for the same negative number", which is what port 0 means here.
          .setPort(config.port() == 0 ? -1 : config.port())
          .setTcpNoDelay(true)
          .setCompressionSupported(false)
          .setMaxInitialLineLength(16 * 1024)
          .setMaxHeaderSize(64 * 1024);
      HttpServer created = vertx.createHttpServer(options).requestHandler(request -> handle(request, handlers));
      server = created;
      servers.add(created);
      return created.listen().onSuccess(s -> port = s.actualPort());
    }

    @Override
    public Future<?> stop() {
      return server == null ? Future.succeededFuture() : server.close();
    }
  }

  /**
   * On the event loop: reads the whole body there (chunks arrive without waking anyone), then runs
   * the handler on a virtual thread with the body in hand, so its first wait is not for the body.
   */
  private void handle(HttpServerRequest request, ContextInternal handlers) {
    running.incrementAndGet();
    Exchange exchange = new Exchange(request, json, ((VertxInternal) vertx).getOrCreateContext(), running::decrementAndGet,
        this::answerFailure, config.timingHeader());
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      exchange.beginBody(config.maxBodyBytes()).onComplete(read -> handlers.runOnContext(v -> handleCounted(exchange)));
    } else {
      handlers.runOnContext(v -> handleCounted(exchange));
    }
  }

  private void handleCounted(Exchange exchange) {
    try {
      handleRouted(exchange);
    } finally {
      if (!exchange.detached()) {
        exchange.finish();
      }
    }
  }

  private void handleRouted(Exchange exchange) {
    HttpServerRequest request = exchange.request();
    try {
      String path = requireNonNullElse(request.path(), "/");
      Routes.Match match = routes.match(request.method(), path);
      if (match == null) {
        throw routes.knowsPath(path)
            ? new GatewayException.NotFound("method " + request.method() + " is not supported on " + path)
            : new GatewayException.NotFound("no such endpoint: " + request.method() + " " + path
                + " (the OpenAI-compatible API is under /api/v1 and /v1)");
      }
      match.params().forEach((name, value) -> request.params().set(name, value));
      match.handler().handle(exchange);
    } catch (Exception e) { // not only RuntimeException: Future.await can rethrow a checked cause
      answerFailure(exchange, e);
    }
  }

  /**
   * Answers a request that a handler failed: a {@link GatewayException} as itself, a store outage as
   * 503, anything else as a 500 with a generic message and a log line (a response already started
   * is cut instead).
   */
  private void answerFailure(Exchange exchange, Throwable failure) {
    HttpServerRequest request = exchange.request();
    if (failure instanceof GatewayException e) {
      exchange.sendError(e);
      return;
    }
    if (StoreGuard.isStoreFailure(failure) && !request.response().headWritten()) {
      // The database is down (StoreGuard logs that once): a clear 503, not a 500 per request.
      LOG.log(Level.DEBUG, "store unavailable handling {0} {1}: {2}", request.method(), request.path(),
          failure.getMessage());
      StoreGuard.answer(exchange, json);
      return;
    }
    LOG.log(Level.ERROR, "unexpected failure handling " + request.method() + " " + request.path(), failure);
    if (!request.response().ended()) {
      if (request.response().headWritten()) {
        request.response().reset();
      } else {
        exchange.sendJson(500, ErrorEnvelope.json(json, 500,
            "internal error in the gateway; the operator's log has the details", Map.of()));
      }
    }
  }
}
