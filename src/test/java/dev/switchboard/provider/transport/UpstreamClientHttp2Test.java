package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.Secret;
import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.Cancellation;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.Framing;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.provider.UpstreamResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Providers set to {@code http2: true}, over real HTTP on 127.0.0.1 against a Vert.x server that
 * accepts cleartext HTTP/2 with prior knowledge (h2c) as well as HTTP/1.1: the request goes out in
 * the protocol its target asks for, headers and bodies intact, many streams share a few
 * connections, and a client that leaves resets its stream.
 */
class UpstreamClientHttp2Test {
  private static final String JSON = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}";
  private static final String FIRST_EVENT = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n";

  private final List<HttpServerRequest> seen = new CopyOnWriteArrayList<>();
  private LoopbackUpstream upstream;

  @AfterEach
  void stop() throws Exception {
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void aTargetSetToHttp2IsSentOverHttp2WithItsHeadersAndBody() throws Exception {
    upstream = jsonUpstream();

    UpstreamResponse response = exchange(true);

    assertThat(response.status()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(JSON);
    HttpServerRequest request = seen.getFirst();
    assertThat(request.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(request.getHeader("authorization")).isEqualTo("Bearer sk-test");
    assertThat(request.getHeader("content-type")).isEqualTo("application/json");
    assertThat(request.getHeader("x-operator-header")).isEqualTo("yes");
  }

  @Test
  void aTargetNotSetToHttp2StaysOnHttp11() throws Exception {
    upstream = jsonUpstream();

    assertThat(exchange(false).status()).isEqualTo(200);

    assertThat(seen.getFirst().version()).isEqualTo(HttpVersion.HTTP_1_1);
  }

  @Test
  void manyConcurrentStreamsShareAFewConnections() throws Exception {
    int streams = 300;
    // Every stream is held open (its first event sent) until all of them have arrived, so they are
    // all in flight at once; then each ends.
    List<HttpServerRequest> held = new ArrayList<>(); // guarded by itself: connections run on several event loops
    Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    upstream = new LoopbackUpstream(request -> request.body().onSuccess(ignored -> {
      connections.add(request.connection());
      request.response().setChunked(true).putHeader("content-type", "text/event-stream").write(FIRST_EVENT);
      synchronized (held) {
        held.add(request);
        if (held.size() == streams) {
          held.forEach(each -> each.response().end("data: [DONE]\n\n"));
        }
      }
    }));

    List<CompletableFuture<StreamSeen>> reads = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      reads.add(upstream.client().openStream(call(true, new Cancellation(), true), FrameReaders.forFraming(Framing.SSE))
          .toCompletionStage().toCompletableFuture()
          .thenApplyAsync(start -> {
            try {
              return StreamSeen.read(((StreamStart.Streaming) start).stream());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }));
    }

    for (CompletableFuture<StreamSeen> read : reads) {
      StreamSeen stream = read.get(30, TimeUnit.SECONDS);
      assertThat(stream.error()).isNull();
      assertThat(stream.frames()).hasSize(2);
    }
    // The server takes 100 concurrent streams per connection (Vert.x's default). The calls come from
    // every event loop in turn, and each loop's pool opens at most 4 (LoopbackUpstream's bound): 300
    // streams in flight at once take at least 3 connections and at most 4 per loop, not one each.
    assertThat(connections).hasSizeBetween(3, 4 * eventLoops(upstream.vertx()));
  }

  @Test
  void connectionsTheServerRotatesWithGoAwayLoseNoRequest() throws Exception {
    // As nginx does after keepalive_requests: a GOAWAY naming the last stream it answers, then a close.
    // Requests racing the GOAWAY are refused unprocessed and must go again, on another connection.
    Map<HttpConnection, AtomicInteger> served = new ConcurrentHashMap<>();
    upstream = new LoopbackUpstream(request -> request.body().onSuccess(ignored -> {
      request.response().putHeader("content-type", "application/json").end(JSON);
      HttpConnection connection = request.connection();
      if (served.computeIfAbsent(connection, c -> new AtomicInteger()).incrementAndGet() == 50) {
        connection.goAway(0, request.streamId());
        // nginx reads on for a while after its GOAWAY (lingering close) rather than cutting the socket
        // under requests still in flight towards it.
        upstream.vertx().setTimer(200, timer -> connection.close());
      }
    }));

    List<CompletableFuture<UpstreamResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      calls.add(upstream.client().exchange(call(true, new Cancellation(), false)).toCompletionStage().toCompletableFuture());
    }

    for (CompletableFuture<UpstreamResponse> call : calls) {
      assertThat(call.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
    assertThat(served).hasSizeGreaterThan(3); // connections were rotated
  }

  @Test
  void aCancelledStreamIsResetUpstream() throws Exception {
    CompletableFuture<Throwable> reset = new CompletableFuture<>();
    upstream = new LoopbackUpstream(request -> request.body().onSuccess(ignored -> {
      request.response().exceptionHandler(reset::complete);
      request.response().setChunked(true).putHeader("content-type", "text/event-stream").write(FIRST_EVENT);
    }));
    Cancellation cancellation = new Cancellation();

    StreamStart start = upstream.client().openStream(call(true, cancellation, true), FrameReaders.forFraming(Framing.SSE))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(start).isInstanceOf(StreamStart.Streaming.class);
    cancellation.cancel();

    assertThat(reset.get(5, TimeUnit.SECONDS)).hasMessageContaining("reset");
  }

  @Test
  void aServerThatSpeaksOnlyHttp11SaysWhyTheCallFailed() throws Exception {
    try (Http11OnlyServer http11Only = Http11OnlyServer.start()) {
      upstream = jsonUpstream();
      UpstreamCall call = http2Call("http://127.0.0.1:" + http11Only.port(), Duration.ofSeconds(5));

      var failure = upstream.client().exchange(call).toCompletionStage().toCompletableFuture()
          .handle((response, error) -> error).get(10, TimeUnit.SECONDS);

      assertThat(failure).isInstanceOf(UpstreamException.class);
      assertThat(((UpstreamException) failure).error().message()).contains("http2");
      assertThat(http11Only.prefacesRefused()).isPositive();
    }
  }

  @Test
  void anUpstreamThatNeverAnswersTimesOutAtTheFirstByteDeadline() throws Exception {
    upstream = new LoopbackUpstream(request -> request.body()); // reads the request, never answers
    UpstreamCall call = http2Call(upstream.baseUrl(), Duration.ofMillis(300));

    var failure = upstream.client().exchange(call).toCompletionStage().toCompletableFuture()
        .handle((response, error) -> error).get(10, TimeUnit.SECONDS);

    assertThat(failure).isInstanceOf(UpstreamException.class);
    assertThat(((UpstreamException) failure).error().kind()).isEqualTo(UpstreamError.Kind.TIMEOUT);
  }

  @Test
  void aBodyLargerThanHttp2sFlowControlWindowArrivesWhole() throws Exception {
    // 400 KB: six times the 64 KB a stream may send before the server grants more.
    byte[] prompt = ("{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(400_000) + "\"}]}")
        .getBytes(StandardCharsets.UTF_8);
    upstream = new LoopbackUpstream(request -> request.body().onSuccess(body ->
        request.response().putHeader("content-type", "application/json")
            .end("{\"received\":" + body.length() + ",\"version\":\"" + request.version() + "\"}")));
    UpstreamCall call = http2Call(upstream.baseUrl(), Duration.ofSeconds(5), prompt);

    UpstreamResponse response = upstream.client().exchange(call).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"received\":" + prompt.length + ",\"version\":\"HTTP_2\"}");
  }

  private static int eventLoops(io.vertx.core.Vertx vertx) {
    int loops = 0;
    for (var ignored : ((io.vertx.core.internal.VertxInternal) vertx).nettyEventLoopGroup()) {
      loops++;
    }
    return loops;
  }

  /** A non-streamed call over HTTP/2 to {@code baseUrl}, waiting {@code firstByte} for the answer. */
  private static UpstreamCall http2Call(String baseUrl, Duration firstByte) {
    return http2Call(baseUrl, firstByte, "{}".getBytes(StandardCharsets.UTF_8));
  }

  private static UpstreamCall http2Call(String baseUrl, Duration firstByte, byte[] body) {
    return new UpstreamCall(
        new Target("local", "m", baseUrl, true),
        new UpstreamRequest("/v1/chat/completions", Map.of(), body, false),
        new UpstreamAuth.None(),
        new TimeoutConfig(Duration.ofSeconds(5), firstByte, Duration.ofSeconds(5)),
        new Cancellation());
  }

  private LoopbackUpstream jsonUpstream() throws Exception {
    return new LoopbackUpstream(request -> request.body().onSuccess(ignored -> {
      seen.add(request);
      request.response().putHeader("content-type", "application/json").end(JSON);
    }));
  }

  private UpstreamResponse exchange(boolean http2) throws Exception {
    return upstream.client().exchange(call(http2, new Cancellation(), false))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private UpstreamCall call(boolean http2, Cancellation cancellation, boolean stream) {
    return new UpstreamCall(
        new Target("openai", "m", upstream.baseUrl(), http2),
        new UpstreamRequest("/v1/chat/completions", Map.of("X-Operator-Header", "yes"), "{}".getBytes(),
            stream),
        new UpstreamAuth.Bearer(Secret.of("sk-test")),
        new TimeoutConfig(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5)),
        cancellation);
  }
}
