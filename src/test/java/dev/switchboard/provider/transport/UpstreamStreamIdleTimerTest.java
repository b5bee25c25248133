package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.Cancellation;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.Framing;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The idle timeout between a stream's chunks, over real HTTP on 127.0.0.1: it ends a stalled stream
 * with a timeout, and a stream that ended leaves no timer behind (one did, holding the finished
 * stream's request, response and relay in memory for the whole timeout).
 */
class UpstreamStreamIdleTimerTest {
  private static final String EVENT = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n";

  private Vertx vertx;
  private HttpServer server;
  private UpstreamClient client;
  private volatile boolean stall;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(ignored -> {
          var response = request.response().setChunked(true).putHeader("content-type", "text/event-stream");
          response.write(Buffer.buffer(EVENT));
          if (!stall) {
            response.write(Buffer.buffer(EVENT));
            response.end(Buffer.buffer("data: [DONE]\n\n"));
          }
        }))
        .listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client = new UpstreamClient(vertx, 4);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private record Seen(UpstreamStream stream, List<Frame> frames, @Nullable UpstreamError error) {}

  private Seen stream(Duration idle) throws Exception {
    var call = new UpstreamCall(
        new Target("openai", "m", "http://127.0.0.1:" + server.actualPort()),
        new UpstreamRequest("/v1/chat/completions", Map.of(), "{}".getBytes(), true),
        new UpstreamAuth.None(), new TimeoutConfig(Duration.ofSeconds(5), Duration.ofSeconds(5), idle),
        new Cancellation());
    StreamStart start = client.openStream(call, FrameReaders.forFraming(Framing.SSE))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    UpstreamStream stream = ((StreamStart.Streaming) start).stream();
    var frames = new CopyOnWriteArrayList<Frame>();
    var done = new CompletableFuture<Seen>();
    stream.start(new UpstreamStream.Listener() {
      @Override
      public void onFrames(List<? extends Frame> batch) {
        frames.addAll(batch);
      }

      @Override
      public void onEnd(List<? extends Frame> remaining) {
        frames.addAll(remaining);
        done.complete(new Seen(stream, List.copyOf(frames), null));
      }

      @Override
      public void onError(UpstreamError error) {
        done.complete(new Seen(stream, List.copyOf(frames), error));
      }
    });
    return done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aStreamThatEndedLeavesNoIdleTimerBehind() throws Exception {
    Seen seen = stream(Duration.ofHours(1));

    assertThat(seen.error()).isNull();
    assertThat(seen.frames()).isNotEmpty();
    assertThat(seen.stream().idleTimerPending()).isFalse();
  }

  @Test
  void aStreamSilentForTheIdleTimeoutEndsWithATimeout() throws Exception {
    stall = true;

    Seen seen = stream(Duration.ofMillis(300));

    assertThat(seen.error()).isNotNull();
    assertThat(seen.error().kind()).isEqualTo(UpstreamError.Kind.TIMEOUT);
    assertThat(seen.error().message()).contains("did not answer in time");
    assertThat(seen.frames()).hasSize(1);
    assertThat(seen.stream().idleTimerPending()).isFalse();
  }
}
