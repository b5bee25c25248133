package dev.switchboard.provider.transport;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.provider.UpstreamResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The pooled keep-alive HTTP client every adapter's requests go through.
 *
 * <p>Timeouts: connect, then first byte (no data from the upstream for that long after sending),
 * then, once a stream started, idle between chunks. A client disconnect ({@link
 * dev.switchboard.core.Cancellation}) resets the upstream request so the provider stops
 * generating (and billing).
 *
 * <p>Thread-safe; one instance per gateway.
 */
public final class UpstreamClient implements AutoCloseable {
  /**
   * HTTP/1.1 carries one stream per connection, so this bounds the concurrent streams to one
   * provider from one event loop (each has its own pool, see {@link #loop}); a request waiting
   * longer than the connect timeout for a pooled connection fails.
   * Connections are opened on demand and closed when idle, so a high bound costs nothing until used.
   */
  public static final int MAX_CONNECTIONS_PER_HOST = 16_384;

  /**
   * HTTP/2 connections per provider host on each event loop. Each carries as many concurrent requests as the server
   * allows (its {@code SETTINGS_MAX_CONCURRENT_STREAMS}, commonly 100–1,000), so a few connections
   * carry thousands of streams. A new one opens when those in use are full, and one per request
   * waiting meanwhile (the pool cannot know a connecting connection's capacity before the server's
   * settings arrive), so a burst can open up to this many; idle ones close.
   */
  public static final int HTTP2_CONNECTIONS_PER_HOST = 256;

  /**
   * Times a request refused by a closing HTTP/2 connection is sent again on another one (after 5, 10,
   * 15, 20 and 25 ms). Such a request was never processed, so repeating it is always safe. With 3, a
   * full test run once saw a request refused by 4 closing connections in a row (300 requests at once
   * against a server rotating its connections every 50 requests, on a loaded 2-core machine).
   */
  static final int GOAWAY_RETRIES = 5;

  /** The first wait before such a retry; each next one waits that much longer. */
  static final long GOAWAY_RETRY_WAIT_MS = 5;

  /**
   * HTTP/2's flow-control window for a whole connection. The protocol's default (64 KB) would make
   * the many streams sharing a connection wait on one another for window updates.
   */
  static final int HTTP2_CONNECTION_WINDOW = 16 * 1024 * 1024;

  /** Error bodies are for humans and classification; more than this is noise (or an attack). */
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final GoAwayTracker goAways = new GoAwayTracker();
  private final VertxInternal vertx;
  private final Map<EventLoop, Loop> loops = new ConcurrentHashMap<>();
  // Bounds of each event loop's pools, not shared: splitting a bound between the loops would leave a
  // loop with more than its share of streams waiting while another loop's connections sit idle.
  private final int maxConnectionsPerLoop;
  private final int maxHttp2ConnectionsPerLoop;

  /**
   * What each event loop has of its own: a context to start exchanges on from other threads, and
   * its HTTP/1.1 and HTTP/2 clients (Vert.x fixes the protocol per client).
   */
  private record Loop(ContextInternal context, HttpClientAgent http, HttpClientAgent http2) {}

  public UpstreamClient(Vertx vertx, int maxConnectionsPerHost) {
    this(vertx, maxConnectionsPerHost, HTTP2_CONNECTIONS_PER_HOST);
  }

  /**
   * @param maxConnectionsPerHost HTTP/1.1 connections per provider host, on each event loop
   * @param maxHttp2ConnectionsPerHost HTTP/2 connections per provider host, on each event loop
   */
  public UpstreamClient(Vertx vertx, int maxConnectionsPerHost, int maxHttp2ConnectionsPerHost) {
    this.vertx = (VertxInternal) vertx;
    this.maxConnectionsPerLoop = maxConnectionsPerHost;
    this.maxHttp2ConnectionsPerLoop = maxHttp2ConnectionsPerHost;
  }

  /**
   * What {@code eventLoop} has of its own. Why clients per event loop: a Vert.x pool hands any of
   * its connections to any caller, and a connection's I/O stays on the event loop that opened it,
   * so a request from another loop had every response chunk handed across threads (measured: 54%
   * of exchanges under load, docs/performance.md round 8). A pool per loop opens its connections
   * on that loop, so the client's connection and the upstream's share one thread.
   */
  private Loop loop(EventLoop eventLoop) {
    return loops.computeIfAbsent(eventLoop, key -> new Loop(
        vertx.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP).withEventLoop(eventLoop).build(),
        vertx.createHttpClient(options(), new PoolOptions().setHttp1MaxSize(maxConnectionsPerLoop)),
        vertx.httpClientBuilder()
            .with(options()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setUseAlpn(true) // over TLS the server chooses; HTTP/1.1 if it offers only that
                .setHttp2ClearTextUpgrade(false) // over plain http: prior knowledge, no upgrade round trip
                .setHttp2ConnectionWindowSize(HTTP2_CONNECTION_WINDOW))
            .with(new PoolOptions().setHttp2MaxSize(maxHttp2ConnectionsPerLoop).setHttp1MaxSize(maxConnectionsPerLoop))
            .withConnectHandler(goAways::watch)
            .build()));
  }

  /** What the calling event loop has of its own (exchanges start on an event loop, see {@link #onEventLoop}). */
  private Loop callersLoop() {
    return loop(vertx.getOrCreateContext().nettyEventLoop());
  }

  private static HttpClientOptions options() {
    return new HttpClientOptions()
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setDecompressionSupported(true)
        .setMaxInitialLineLength(16 * 1024)
        .setMaxHeaderSize(64 * 1024);
  }

  /** Sends a request and reads the whole response, whatever its status. */
  public Future<UpstreamResponse> exchange(UpstreamCall call) {
    return onEventLoop(() -> exchangeHere(call));
  }

  private Future<UpstreamResponse> exchangeHere(UpstreamCall call) {
    Promise<UpstreamResponse> result = Promise.promise();
    String provider = call.target().providerSlug();
    send(call).onComplete(sent -> {
      if (sent.failed()) {
        result.fail(TransportErrors.translate(sent.cause(), provider, "waiting for the response"));
        return;
      }
      HttpClientResponse response = sent.result();
      response.body().onComplete(body -> {
        if (body.failed()) {
          result.fail(TransportErrors.translate(body.cause(), provider, "reading the response"));
        } else {
          result.complete(toResponse(response, body.result()));
        }
      });
    });
    return result.future();
  }

  /**
   * Sends a streaming request. Completes once the upstream answered with an error status (read
   * whole) or with 2xx and its first body bytes, so nothing is committed to the client before the
   * upstream has really started.
   */
  public Future<StreamStart> openStream(UpstreamCall call, Supplier<FrameReader> readers) {
    return onEventLoop(() -> openStreamHere(call, readers));
  }

  private Future<StreamStart> openStreamHere(UpstreamCall call, Supplier<FrameReader> readers) {
    Promise<StreamStart> result = Promise.promise();
    String provider = call.target().providerSlug();
    send(call).onComplete(sent -> {
      if (sent.failed()) {
        result.fail(TransportErrors.translate(sent.cause(), provider, "waiting for the response"));
        return;
      }
      HttpClientResponse response = sent.result();
      if (response.statusCode() / 100 != 2) {
        response.body().onComplete(body -> result.complete(new StreamStart.Rejected(
            toResponse(response, body.succeeded() ? body.result() : Buffer.buffer()))));
        return;
      }
      UpstreamStream stream = new UpstreamStream(vertx, vertx.getOrCreateContext(), response.request(), response, readers.get(),
          call.timeouts().idle().toMillis(), provider);
      response.handler(chunk -> {
        stream.onChunk(chunk);
        if (!result.future().isComplete()) {
          result.tryComplete(new StreamStart.Streaming(stream));
        }
      });
      response.endHandler(v -> {
        stream.onBodyEnd();
        result.tryComplete(new StreamStart.Streaming(stream));
      });
      response.exceptionHandler(failure -> {
        if (!result.tryFail(TransportErrors.translate(failure, provider, "waiting for the first byte"))) {
          stream.onFailure(failure);
        }
      });
      call.cancellation().onCancel(stream::cancel);
    });
    return result.future();
  }

  /**
   * Starts an exchange on an event-loop context of the caller's event loop when the caller is not
   * on an event loop already (a request's virtual thread, say). Why: the HTTP client runs its
   * handlers on the context that made the request, and on a virtual-thread context each response
   * chunk would be handed to a virtual thread and each relayed write handed back to the event
   * loop. On the event loop that also
   * serves the client's connection, a stream's chunks are decoded and written out where they
   * arrive; only the outcome wakes the request's thread.
   */
  private <T> Future<T> onEventLoop(Supplier<Future<T>> start) {
    ContextInternal caller = vertx.getOrCreateContext();
    if (caller.threadingModel() == ThreadingModel.EVENT_LOOP && caller.nettyEventLoop().inEventLoop()) {
      return start.get();
    }
    // A virtual thread, a worker or a plain thread (a hedge's timer, a resumed stream's virtual
    // thread): the exchange must start on the event loop, or the response could end before its
    // handlers are set.
    Promise<T> result = Promise.promise();
    loop(caller.nettyEventLoop()).context().runOnContext(v -> start.get().onComplete(result));
    return result.future();
  }

  private Future<HttpClientResponse> send(UpstreamCall call) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(call.url())
        .setConnectTimeout(call.timeouts().connect().toMillis())
        .setIdleTimeout(call.timeouts().firstByte().toMillis());
    MultiMap headers = options.getHeaders() == null ? MultiMap.caseInsensitiveMultiMap() : options.getHeaders();
    headers.set("content-type", "application/json");
    headers.set("accept", call.request().stream() ? "text/event-stream" : "application/json");
    call.request().headers().forEach(headers::set);
    // Last: a signing scheme (SigV4) covers the headers above, so nothing may change them after.
    call.auth().apply(headers, HttpMethod.POST, call.url(), call.request().body());
    options.setHeaders(headers);
    if (call.cancellation().isCancelled()) {
      return Future.failedFuture(new UpstreamException(
          UpstreamError.of(UpstreamError.Kind.CANCELLED, 0, "the client disconnected")));
    }
    if (call.target().http2()) {
      return sendOverHttp2(options, call, GOAWAY_RETRIES);
    }
    return sendOn(callersLoop().http(), options, call);
  }

  /**
   * Sends over HTTP/2, again on another connection when the server refused it while closing the one it
   * went on: servers rotate connections with GOAWAY (nginx after each 1,000 requests by default), and
   * a request racing the GOAWAY is either refused before it is sent (the pool handed out a connection
   * already closed to new streams) or dropped unprocessed ({@link GoAwayTracker} tells which); either
   * is safe to repeat. Without this, under load each rotation failed requests (15 of 300 against an
   * nginx sending GOAWAY every 100 requests) and opened the endpoint's circuit.
   */
  private Future<HttpClientResponse> sendOverHttp2(RequestOptions options, UpstreamCall call, int retries) {
    return sendOn(callersLoop().http2(), options, call).recover(failure -> {
      if (GoAwayTracker.refused(failure) && retries > 0 && !call.cancellation().isCancelled()) {
        // A moment's wait: right after a GOAWAY the pool may still hand out the closing connection.
        long waitMs = GOAWAY_RETRY_WAIT_MS * (GOAWAY_RETRIES - retries + 1);
        return vertx.timer(waitMs).compose(waited -> sendOverHttp2(options, call, retries - 1));
      }
      return Future.failedFuture(TransportErrors.http2(failure, call.target().providerSlug()));
    });
  }

  /** A failure of a request its HTTP/2 server refused comes back as a {@link GoAwayTracker.Refused}. */
  private Future<HttpClientResponse> sendOn(HttpClientAgent client, RequestOptions options, UpstreamCall call) {
    return client.request(options).compose(request -> {
      Runnable unregister = call.cancellation().onCancel(() -> request.reset());
      // Wrapped, not copied: Buffer.buffer(byte[]) would copy the encoded body (a 400 KB prompt once
      // more); the array is never written after encoding.
      return request.send(BufferInternal.buffer(Unpooled.wrappedBuffer(call.request().body())))
          .andThen(done -> {
            if (!call.request().stream()) {
              return;
            }
            unregister.run();
          })
          .recover(failure -> Future.failedFuture(goAways.classify(request, failure)));
    });
  }

  private static UpstreamResponse toResponse(HttpClientResponse response, Buffer body) {
    Map<String, String> headers = new HashMap<>();
    for (var header : response.headers()) {
      headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
    }
    byte[] bytes = body.length() > MAX_ERROR_BODY && response.statusCode() / 100 != 2
        ? body.getBytes(0, MAX_ERROR_BODY)
        : body.getBytes();
    return new UpstreamResponse(response.statusCode(), headers, bytes);
  }

  @Override
  public void close() {
    for (Loop loop : loops.values()) {
      loop.http().close();
      loop.http2().close();
    }
  }
}
