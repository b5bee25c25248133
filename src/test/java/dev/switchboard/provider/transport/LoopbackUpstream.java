package dev.switchboard.provider.transport;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;

/**
 * The transport tests' upstream: a Vert.x HTTP server on 127.0.0.1 answering with a handler, and the
 * gateway's {@link UpstreamClient} to call it with. Close it after each test.
 */
final class LoopbackUpstream implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final UpstreamClient client;

  LoopbackUpstream(Handler<HttpServerRequest> handler) throws Exception {
    server = vertx.createHttpServer()
        .requestHandler(handler)
        .listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client = new UpstreamClient(vertx, 4, 4);
  }

  int port() {
    return server.actualPort();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  Vertx vertx() {
    return vertx;
  }

  UpstreamClient client() {
    return client;
  }

  @Override
  public void close() throws Exception {
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
