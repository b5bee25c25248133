package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.Cancellation;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.Framing;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

  private LoopbackUpstream upstream;
  private volatile boolean stall;

  @BeforeEach
  void start() throws Exception {
    upstream = new LoopbackUpstream(request -> request.body().onSuccess(ignored -> {
      var response = request.response().setChunked(true).putHeader("content-type", "text/event-stream");
      response.write(Buffer.buffer(EVENT));
      if (!stall) {
        response.write(Buffer.buffer(EVENT));
        response.end(Buffer.buffer("data: [DONE]\n\n"));
      }
    }));
  }

  @AfterEach
  void stop() throws Exception {
    upstream.close();
  }

  private UpstreamStream open(Duration idle) throws Exception {
    var call = new UpstreamCall(
        new Target("openai", "m", upstream.baseUrl()),
        new UpstreamRequest("/v1/chat/completions", Map.of(), "{}".getBytes(), true),
        new UpstreamAuth.None(), new TimeoutConfig(Duration.ofSeconds(5), Duration.ofSeconds(5), idle),
        new Cancellation());
    StreamStart start = upstream.client().openStream(call, FrameReaders.forFraming(Framing.SSE))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return ((StreamStart.Streaming) start).stream();
  }

  @Test
  void aStreamThatEndedLeavesNoIdleTimerBehind() throws Exception {
    UpstreamStream stream = open(Duration.ofHours(1));
    StreamSeen seen = StreamSeen.read(stream);

    assertThat(seen.error()).isNull();
    assertThat(seen.frames()).isNotEmpty();
    assertThat(stream.idleTimerPending()).isFalse();
  }

  @Test
  void aStreamSilentForTheIdleTimeoutEndsWithATimeout() throws Exception {
    stall = true;

    UpstreamStream stream = open(Duration.ofMillis(300));
    StreamSeen seen = StreamSeen.read(stream);

    assertThat(seen.error()).isNotNull();
    assertThat(seen.error().kind()).isEqualTo(UpstreamError.Kind.TIMEOUT);
    assertThat(seen.error().message()).contains("did not answer in time");
    assertThat(seen.frames()).hasSize(1);
    assertThat(stream.idleTimerPending()).isFalse();
  }
}
