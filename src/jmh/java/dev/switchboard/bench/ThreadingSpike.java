package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;

/**
 * The threading-model spike DESIGN.md asks for: the same minimal gateway hop (read the body, parse it,
 * rewrite {@code model}, forward over a pooled keep-alive client, parse the response's {@code usage},
 * answer) written twice on Vert.x 5: as blocking-style code on a virtual thread per request ({@code
 * Future.await}, the gateway's model today), and as a chain of non-blocking stages on the event loop.
 * bench/threading-spike.sh runs both against the nginx upstream and compares CPU per request.
 *
 * <p>{@code java ... ThreadingSpike virtual|eventloop PORT UPSTREAM_HOST UPSTREAM_PORT UPSTREAM_PATH}
 */
public final class ThreadingSpike {
  static final ObjectMapper JSON = JsonMapper.builder().build();

  public static void main(String[] args) {
    boolean virtual = args[0].equals("virtual");
    int port = Integer.parseInt(args[1]);
    String upHost = args[2];
    int upPort = Integer.parseInt(args[3]);
    String upPath = args[4];
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(1024));
    DeploymentOptions options = new DeploymentOptions()
        .setThreadingModel(virtual ? ThreadingModel.VIRTUAL_THREAD : ThreadingModel.EVENT_LOOP)
        .setInstances(Runtime.getRuntime().availableProcessors());
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
            .requestHandler(virtual
                ? request -> blocking(client, request, upHost, upPort, upPath)
                : request -> stages(client, request, upHost, upPort, upPath))
            .listen();
      }
    }, options).await();
    System.out.println("spike (" + args[0] + ") listening on " + port);
  }

  /** Virtual thread per request: straight-line code, each wait is an await. */
  static void blocking(HttpClientAgent client, HttpServerRequest request, String host, int port, String path) {
    try {
      Buffer body = request.body().await();
      byte[] upstreamBody = rewrite(body);
      HttpClientResponse response = client.request(options(host, port, path))
          .compose(r -> r.send(Buffer.buffer(upstreamBody))).await();
      Buffer answer = response.body().await();
      long tokens = usage(answer);
      request.response().putHeader("content-type", "application/json")
          .putHeader("x-tokens", Long.toString(tokens)).end(answer);
    } catch (RuntimeException | IOException e) {
      request.response().setStatusCode(502).end();
    }
  }

  /** Event loop: the same steps as a chain of futures, never blocking. */
  static void stages(HttpClientAgent client, HttpServerRequest request, String host, int port, String path) {
    request.body()
        .compose(body -> {
          byte[] upstreamBody;
          try {
            upstreamBody = rewrite(body);
          } catch (IOException e) {
            return Future.failedFuture(e);
          }
          return client.request(options(host, port, path)).compose(r -> r.send(Buffer.buffer(upstreamBody)));
        })
        .compose(HttpClientResponse::body)
        .onComplete(done -> {
          if (done.failed()) {
            request.response().setStatusCode(502).end();
            return;
          }
          try {
            long tokens = usage(done.result());
            request.response().putHeader("content-type", "application/json")
                .putHeader("x-tokens", Long.toString(tokens)).end(done.result());
          } catch (IOException e) {
            request.response().setStatusCode(502).end();
          }
        });
  }

  static RequestOptions options(String host, int port, String path) {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setURI(path)
        .putHeader("content-type", "application/json");
  }

  static byte[] rewrite(Buffer body) throws IOException {
    ObjectNode request = (ObjectNode) JSON.readTree(body.getBytes());
    request.put("model", "bench-model");
    return JSON.writeValueAsBytes(request);
  }

  static long usage(Buffer answer) throws IOException {
    return JSON.readTree(answer.getBytes()).path("usage").path("total_tokens").asLong();
  }
}
